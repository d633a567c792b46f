// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Everything that can fail in the init. Each case names the failed operation
/// and carries the offending values; `description` says what to do.
package enum InitError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A line of the service table is malformed.
    case parseServiceTable(line: Int, reason: String)
    /// A service table could not be written because a value cannot be represented.
    case writeServiceTable(field: String, value: String, reason: String)
    /// The service table file could not be read.
    case readServiceTable(path: String, errno: Int32)
    /// mount(2) failed.
    case mount(target: String, type: String, errno: Int32)
    /// No block device partition with the boot partition's GPT name appeared in time.
    case bootPartitionNotFound(name: String, seconds: String, partitions: String)
    /// The boot partition was found but mount(2) refused it.
    case mountBootPartition(name: String, device: String, target: String, type: String, errno: Int32)
    /// mkdir(2) failed.
    case makeDirectory(path: String, errno: Int32)
    /// fork or pipe creation failed.
    case spawn(program: String, errno: Int32)
    /// A file could not be written.
    case writeFile(path: String, errno: Int32)
    /// finit_module(2) of a module file failed.
    case loadModule(path: String, errno: Int32)
    /// A module the table names is neither in modules.dep nor built into the kernel.
    case moduleNotFound(name: String, modulesDep: String)
    /// A command run to completion did not end in time and was killed.
    case commandTimedOut(program: String, seconds: String)
    /// A command run to completion ended unsuccessfully.
    case commandFailed(program: String, status: ChildStatus)
    /// A DomD backend did not report ready in time.
    case readinessTimedOut(backend: String, path: String, seconds: String)
    /// A DomD backend reported that it failed.
    case backendFailed(backend: String, path: String, status: String)
    /// DomD's backend did not take up a PV USB controller (InitWait) in time.
    case usbControllerNotServed(path: String, seconds: String)
    /// A shutdown request arrived while a step was in progress.
    case shutdownRequested
    /// The command line of the init is invalid.
    case usage(reason: String)

    package var description: String {
        switch self {
        case .parseServiceTable(let line, let reason):
            return "service table line \(line): " + reason
        case .writeServiceTable(let field, let value, let reason):
            return "cannot write service table field " + field + " value '" + value + "': " + reason
        case .loadModule(let path, let errno):
            return "cannot load kernel module " + path + " (errno \(errno)); check that it was built for this kernel"
        case .moduleNotFound(let name, let modulesDep):
            return "kernel module " + name + " is neither in " + modulesDep + " nor built in; check the layer's and board's modules"
        case .readServiceTable(let path, let errno):
            return "cannot read service table " + path + " (errno \(errno)); check that the build installed it"
        case .mount(let target, let type, let errno):
            return "cannot mount " + type + " on " + target + " (errno \(errno)); check the kernel has it built in or its module is listed"
        case .bootPartitionNotFound(let name, let seconds, let partitions):
            return "no partition named '" + name + "' (GPT name) appeared within " + seconds + "; /proc/partitions lists "
                + (partitions.isEmpty ? "no block device" : partitions)
                + ". DomD's kernel is on that partition: check that the disk is attached (driverdom run/test attach"
                + " disk.img as a virtio-blk device) and that the board's flash storage_modules name its storage driver"
        case .mountBootPartition(let name, let device, let target, let type, let errno):
            return "cannot mount partition '" + name + "' (" + device + ") as " + type + " read-only on " + target
                + " (errno \(errno)); check that it holds a " + type + " file system (flash the image's disk.img)"
                + " and that dom0's initramfs has the " + type + " module"
        case .makeDirectory(let path, let errno):
            return "cannot create directory " + path + " (errno \(errno))"
        case .spawn(let program, let errno):
            return "cannot start " + program + " (errno \(errno))"
        case .writeFile(let path, let errno):
            return "cannot write " + path + " (errno \(errno))"
        case .commandTimedOut(let program, let seconds):
            return program + " did not finish within " + seconds + " and was killed"
        case .commandFailed(let program, let status):
            return program + " failed: " + status.description
        case .readinessTimedOut(let backend, let path, let seconds):
            return "DomD backend " + backend + " did not report ready within " + seconds
                + " (" + path + " never became 'ready'); check DomD's console log in /var/log/xen/console"
        case .backendFailed(let backend, let path, let status):
            return "DomD backend " + backend + " reported '" + status + "' at " + path
                + "; check DomD's console log in /var/log/xen/console"
        case .usbControllerNotServed(let path, let seconds):
            return "DomD's usbif backend did not take up the controller within " + seconds + " (" + path
                + " never reached InitWait); check that the image binds the usbif layer and DomD's console log"
        case .shutdownRequested:
            return "shutdown requested"
        case .usage(let reason):
            return "usage: driverdom-init [--table PATH] [--role domd|control]: " + reason
        }
    }
}
