// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DomDInit
import DriverdomConfig
import Foundation
import RootfsAssembly
import XenConfig

/// The control domain (dom0) rootfs: the same Swift init in its control role,
/// Debian's Xen toolstack with the libraries it needs, the dom0 kernel modules,
/// the generated xl.cfg files and device trees, and DomD's initramfs and
/// device tree where DomD's xl.cfg expects them. DomD's kernel is not in it:
/// it is the `vmlinuz` of the disk's boot partition, which dom0's init mounts
/// read-only on ``DomDFiles/bootMount`` (the board's `storage_modules` and the
/// partition's file system modules are loaded first).
enum ControlDomain {
    /// Where the xl.cfg files go.
    static let xenConfigFolder = "/etc/xen/driverdom"
    /// Toolstack folder of Debian's xen-utils-4.17.
    static let toolstack = "/usr/lib/xen-4.17/bin"
    /// Toolstack programs dom0 runs (E2E.md) and the libraries they need;
    /// `xl console` runs xenconsole, and says only "Unable to attach console" without it.
    static let toolstackPrograms = ["/usr/lib/xen-4.17/bin/xl", "/usr/lib/xen-4.17/bin/xenstored",
                                    "/usr/lib/xen-4.17/bin/xen-init-dom0", "/usr/lib/xen-4.17/bin/xenconsoled",
                                    "/usr/lib/xen-4.17/bin/xenconsole", xenstoreRead, xenstoreChmod,
                                    xenstoreWrite]
    /// xenstore-read of Debian's xenstore-utils (the init polls DomD's readiness with it).
    static let xenstoreRead = "/usr/bin/xenstore-read"
    /// xenstore-chmod of Debian's xenstore-utils (the init lets DomD read each guest's name with it).
    static let xenstoreChmod = "/usr/bin/xenstore-chmod"
    /// xenstore-write of Debian's xenstore-utils (the init writes the guests' PV USB controllers with it).
    static let xenstoreWrite = "/usr/bin/xenstore-write"
    /// Modules dom0 loads before the daemons start.
    static let modules = ["xen-privcmd", "xenfs", "xen-evtchn", "xen-gntdev", "xen-gntalloc"]
    /// Milliseconds dom0's init waits for the boot partition to appear (an SD card's
    /// host controller and card detection can take a few seconds).
    static let bootPartitionWaitMilliseconds: UInt64 = 15_000

    /// The board's boot partition (`contents: boot`), where DomD's kernel is.
    static func bootPartition(_ configuration: Configuration) -> FlashPartition? {
        configuration.board.flash.partitions.first { $0.contents == .boot }
    }

    /// The modules dom0 needs to mount a file system: Debian builds vfat and ext4
    /// as modules; vfat's default codepage 437 and iocharset ascii are modules too.
    static func filesystemModules(_ filesystem: FlashPartition.Filesystem) -> [String] {
        switch filesystem {
        case .vfat: ["nls_cp437", "nls_ascii", "vfat"]
        case .ext4: ["ext4"]
        }
    }

    /// The storage driver and file system modules dom0 loads to mount the boot partition.
    static func storageModules(_ configuration: Configuration) -> [String] {
        guard let boot = bootPartition(configuration) else { return [] }
        return configuration.board.flash.storageModules + filesystemModules(boot.filesystem)
    }

    /// Digest of every generated Xen configuration file (part of the plan).
    static func xenConfigDigest(_ configuration: Configuration) throws(BuildError) -> String {
        var hasher = KeyHasher(domain: "xen-config")
        for file in try xenConfigSources(configuration) {
            hasher.add(file.name, Data(file.bytes))
        }
        return hasher.finalize()
    }

    static func xenConfigSources(_ configuration: Configuration) throws(BuildError) -> [GeneratedFile] {
        do {
            return try XenConfigGenerator().sources(for: configuration)
        } catch {
            throw .stepFailed(step: "control-rootfs", reason: "cannot generate the Xen configuration: \(error)")
        }
    }

    /// The control role's service table: start the Xen daemons, create DomD,
    /// wait for its backends, then create the guests.
    static func serviceTable(_ configuration: Configuration) -> ServiceTable {
        let domd = configuration.image.driverDomain
        let separate = domd.mode == .separate
        let guests = configuration.image.guests.map { xenConfigFolder + "/" + XenConfigFileNames.guestConfig($0.name) }
        var table = ServiceTable.xenControl(
            toolstack: toolstack,
            domd: separate ? DomainSpec(name: domd.name, config: xenConfigFolder + "/" + XenConfigFileNames.domdConfig) : nil,
            awaitedBackends: separate ? configuration.bindings.map(\.layer.name) : [],
            guests: guests,
            usbControllers: separate ? usbControllers(configuration) : [],
            bootPartition: bootPartition(configuration).map {
                BootPartitionSpec(name: $0.name, filesystem: $0.filesystem.rawValue, mountPoint: DomDFiles.bootMount,
                                  waitMilliseconds: bootPartitionWaitMilliseconds)
            },
            storageModules: storageModules(configuration))
        table.control.xenstoreRead = xenstoreRead
        table.control.xenstoreChmod = xenstoreChmod
        table.control.xenstoreWrite = xenstoreWrite
        return table
    }

    /// Every guest's `usbctrl`, devid in the guest's order (as xl would number
    /// them): xl 4.17 cannot place them in a separate DomD, so dom0's init does.
    static func usbControllers(_ configuration: Configuration) -> [UsbControllerSpec] {
        configuration.image.guests.flatMap { guest in
            guest.usbctrl.enumerated().map { index, controller in
                UsbControllerSpec(guest: guest.name, devid: index, version: controller.version, ports: controller.ports)
            }
        }
    }

    /// image-packages step: every package of the lock's image set but the kernel
    /// (the kernel step has it) unpacked into `root/`, symlinks as shipped.
    static func unpackImagePackages(_ session: BuildSession, _ context: StepContext) throws {
        let target = context.outputDirectory.appendingPathComponent("root")
        let fetched = try session.fetched()
        for package in session.lock.packages(inSet: "image").sorted(by: { $0.name < $1.name })
        where !package.name.hasPrefix("linux-image-") {
            guard let deb = fetched.files[package.name] else {
                throw BuildError.stepFailed(step: "image-packages", reason: "\(package.name) is locked but not fetched")
            }
            try context.tools.run(ToolCommand("dpkg-deb", ["-x", deb.path, target.path]))
        }
    }

    /// control-rootfs step: composes the tree from the unpacked image packages and records it.
    static func rootfs(_ input: ImagePlanInput, _ session: BuildSession, _ context: StepContext) throws {
        let configuration = session.configuration
        guard bootPartition(configuration) != nil else {
            throw BuildError.stepFailed(step: "control-rootfs", reason: "board '\(configuration.board.name)' has no"
                + " partition with 'contents: boot': DomD's kernel (\(DomDFiles.standard.kernel)) is read from it;"
                + " add one to the board's flash layout")
        }
        let target = context.outputDirectory(of: StepID(StepKind.imagePackages.id)).appendingPathComponent("root")
        var composer = try RootfsComposer()
        let initBinary = context.outputDirectory(of: StepID(StepKind.compilePrograms.id))
            .appendingPathComponent(input.initExecutable.name)
        try composer.addHostFile(DomDRootfs.initPath, from: initBinary.path, permissions: 0o755, origin: "init")
        try composer.addSymlink("/sbin/init", target: "../init", origin: "init")
        let table: String
        do { table = try ServiceTableWriter.write(serviceTable(configuration)) } catch {
            throw BuildError.writeServiceTableFailed(reason: "\(error)")
        }
        try composer.addFile(DomDRootfs.serviceTablePath, contents: table, origin: "service table")
        try composer.addFile("/etc/hostname", contents: "dom0\n", origin: "etc")

        // Toolstack programs, their and the init's shared libraries, and libgcc_s (xl dlopens it).
        var programs: [String] = []
        for program in toolstackPrograms {
            let path = target.path + program
            guard FileManager.default.fileExists(atPath: path) else {
                throw BuildError.stepFailed(step: "control-rootfs", reason: "\(program) is not in the image packages")
            }
            programs.append(path)
            try composer.addHostFile(program, from: path, permissions: 0o755, origin: "xen toolstack")
        }
        let gcc = try resolveLibrary("libgcc_s.so.1", in: target)
        let dependencies = try ELFDependencyResolver(sysroot: target.path).resolve(executables: programs + [gcc, initBinary.path])
        var libraries = StagedTree()
        try dependencies.stage(into: &libraries, origin: "libraries")
        for entry in libraries.sortedEntries() where entry.path != "/" {
            switch entry.kind {
            case let .regularFile(.file(path)):
                try composer.addHostFile(entry.path, from: path, permissions: entry.permissions, origin: "libraries")
            case let .symlink(linkTarget):
                try composer.addSymlink(entry.path, target: linkTarget, origin: "libraries")
            default: break
            }
        }
        try composer.addHostFile(gcc.dropFirst(target.path.count).description, from: gcc, permissions: 0o644,
                                 origin: "libraries")

        // dom0 kernel modules, their modules.dep, and busybox for modprobe.
        let kernel = context.outputDirectory(of: StepID(StepKind.kernel.id)).appendingPathComponent("tree")
        let kernelModules = try KernelModules(kernelRoot: kernel)
        let closure = try kernelModules.closure(of: storageModules(configuration) + modules)
        let moduleFolder = "/lib/modules/\(kernelModules.version)/"
        for path in closure {
            try composer.addHostFile(moduleFolder + path, from: kernel.path + moduleFolder + path, permissions: 0o644,
                                     origin: "kernel-modules")
        }
        try composer.addFile(moduleFolder + "modules.dep", contents: kernelModules.modulesDep(for: closure),
                             origin: "kernel-modules")
        try composer.addHostFile("/bin/busybox", from: target.path + "/bin/busybox", permissions: 0o755,
                                 origin: "busybox (modprobe)")
        try composer.addSymlink("/sbin/modprobe", target: "../bin/busybox", origin: "busybox (modprobe)")

        // Xen configuration (device trees compiled), DomD's device tree and initramfs.
        let generated = try XenConfigFiles.write(configuration, epoch: input.sourceDateEpoch, into: context.scratchDirectory.appendingPathComponent("xen"),
                                                 step: "control-rootfs", tools: context.tools)
        for file in generated {
            try composer.addHostFile(xenConfigFolder + "/" + file.name, from: file.path, permissions: 0o644,
                                     origin: "xen config")
            if file.name == XenConfigFileNames.partialDeviceTreeBlob {
                try composer.addHostFile(DomDFiles.standard.deviceTree, from: file.path, permissions: 0o644, origin: "domd")
            }
        }
        let initramfs = context.outputDirectory(of: StepID(StepKind.output(.initramfs).id))
            .appendingPathComponent(OutputFormat.initramfs.fileName)
        try composer.addHostFile(DomDFiles.standard.ramdisk, from: initramfs.path, permissions: 0o644, origin: "domd")

        try LicenseTexts.add(to: &composer, session, context)
        try TreeRecord.write(composer.tree, to: context.outputDirectory)
        try StepActions.write(try composer.sizeReport(), to: context.outputDirectory.appendingPathComponent("sizes.txt"))
    }

    /// The file in `tree/boot` whose name starts with `prefix`.
    static func bootFile(_ prefix: String, in tree: URL) throws -> String {
        let boot = tree.appendingPathComponent("boot")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: boot.path)) ?? []
        guard let name = names.sorted().first(where: { $0.hasPrefix(prefix) }) else {
            throw BuildError.stepFailed(step: "boot files", reason: "no \(prefix)* in \(boot.path)")
        }
        return boot.appendingPathComponent(name).path
    }

    /// The real path of library `name` in the multiarch folders of `root`.
    static func resolveLibrary(_ name: String, in root: URL) throws -> String {
        for folder in ["lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib/arm-linux-gnueabihf",
                       "usr/lib/arm-linux-gnueabihf"] {
            let path = root.appendingPathComponent(folder + "/" + name)
            if FileManager.default.fileExists(atPath: path.path) { return path.resolvingSymlinksInPath().path }
        }
        throw BuildError.stepFailed(step: "control-rootfs", reason: "\(name) is not in the image packages")
    }
}
