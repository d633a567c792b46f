// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Which init this is.
package enum InitRole: String, Equatable, Sendable {
    /// PID 1 of a driver domain: supervises the backends.
    case domd
    /// PID 1 of dom0: starts the Xen toolstack, creates DomD and the guests
    /// (and supervises backends too when dom0 is itself the driver domain).
    case control
}

/// When a backend that ended is started again.
package enum RestartPolicy: String, Equatable, Sendable {
    /// After any exit.
    case always
    /// After a non-zero exit status or a signal.
    case onFailure = "on-failure"
    /// Never.
    case never
}

/// How a backend tells the init it has registered (reached InitWait).
///
/// Contract of `fd`: the backend finds a pipe at descriptor 3 and
/// `DRIVERDOM_READY_FD=3` in its environment (also `DRIVERDOM_SERVICE=<name>`).
/// Once it has registered — written XenbusStateInitWait for its devices, or
/// set its watch on `backend/<type>` when it serves frontends as they come —
/// it writes the line `ready` (`ready\n`) there and closes the descriptor
/// (`clinux_notify_ready()` in CLinux does both). Anything else written is
/// ignored; closing without `ready` is logged. A backend started by hand (no
/// variable) skips this. The init then publishes `drivers/<name>/status = ready`.
package enum ReadinessMode: String, Equatable, Sendable {
    /// It writes `ready\n` to descriptor `$DRIVERDOM_READY_FD` (3).
    case pipe = "fd"
    /// It counts as ready as soon as it has started.
    case onStart = "on-start"
}

/// A device node a backend waits for before it starts.
package struct DeviceWait: Equatable, Sendable {
    /// The node, e.g. `/dev/input/event0`.
    package var path: String
    /// How long to wait for it.
    package var timeoutMilliseconds: UInt64
    /// Creates a device wait.
    package init(path: String, timeoutMilliseconds: UInt64) {
        self.path = path
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// One backend the init starts and supervises.
package struct ServiceSpec: Equatable, Sendable {
    /// Name; also the xenstore key `drivers/<name>/status`.
    package var name: String
    /// Absolute path of the executable.
    package var program: String
    /// Arguments after argv[0].
    package var arguments: [String]
    /// Extra `NAME=VALUE` environment strings.
    package var environment: [String]
    /// The device node it needs, if any.
    package var device: DeviceWait?
    /// When it is restarted.
    package var restart: RestartPolicy
    /// Restarts allowed before the init gives up on it (counted over the
    /// init's whole life: a backend that keeps failing, however slowly, is
    /// eventually given up on).
    package var maxRestarts: Int
    /// Delay before the first restart; doubled for each further one.
    package var backoffMilliseconds: UInt64
    /// Upper bound of the restart delay.
    package var maxBackoffMilliseconds: UInt64
    /// Time between SIGTERM and SIGKILL at shutdown.
    package var stopTimeoutMilliseconds: UInt64
    /// How it reports readiness.
    package var readiness: ReadinessMode

    /// Creates a service with the table's defaults for everything optional.
    package init(name: String, program: String, arguments: [String] = [], environment: [String] = [],
                device: DeviceWait? = nil, restart: RestartPolicy = .onFailure, maxRestarts: Int = 5,
                backoffMilliseconds: UInt64 = 100, maxBackoffMilliseconds: UInt64 = 5_000,
                stopTimeoutMilliseconds: UInt64 = 5_000, readiness: ReadinessMode = .pipe) {
        self.name = name
        self.program = program
        self.arguments = arguments
        self.environment = environment
        self.device = device
        self.restart = restart
        self.maxRestarts = maxRestarts
        self.backoffMilliseconds = backoffMilliseconds
        self.maxBackoffMilliseconds = maxBackoffMilliseconds
        self.stopTimeoutMilliseconds = stopTimeoutMilliseconds
        self.readiness = readiness
    }

    /// Delay before restart number `restart` (1-based): backoff × 2^(restart−1), capped.
    package func restartDelayMilliseconds(forRestart restart: Int) -> UInt64 {
        var delay = backoffMilliseconds
        var step = 1
        while step < restart && delay < maxBackoffMilliseconds {
            delay = delay * 2
            step += 1
        }
        return delay < maxBackoffMilliseconds ? delay : maxBackoffMilliseconds
    }
}

/// A kernel module to load, with its parameters.
package struct ModuleSpec: Equatable, Sendable {
    /// Module name as modprobe takes it.
    package var name: String
    /// `key=value` parameters.
    package var parameters: [String]
    /// Creates a module entry.
    package init(name: String, parameters: [String] = []) {
        self.name = name
        self.parameters = parameters
    }
}

/// A kernel setting written during bring-up: `value` written to the sysfs or
/// procfs file `path` (e.g. the Xen balloon's target).
package struct KernelSetting: Equatable, Sendable {
    /// Absolute path of the file, e.g. `/sys/devices/system/xen_memory/xen_memory0/target_kb`.
    package var path: String
    /// What is written (no spaces, no line breaks).
    package var value: String
    /// Creates a setting.
    package init(path: String, value: String) {
        self.path = path
        self.value = value
    }
}

/// A program run to completion during bring-up (e.g. `xenstored`, which forks
/// into the background, or `xen-init-dom0`).
package struct CommandSpec: Equatable, Sendable {
    /// Absolute path of the executable.
    package var program: String
    /// Arguments (no spaces inside one argument).
    package var arguments: [String]
    /// Creates a command.
    package init(program: String, arguments: [String] = []) {
        self.program = program
        self.arguments = arguments
    }
}

/// Where the init publishes a backend's readiness.
package enum ReadinessPublishing: Equatable, Sendable {
    /// Console log lines only.
    case console
    /// One file per backend `<directory>/<name>.status` holding the status word.
    case file(directory: String)
    /// Runs `<program> drivers/<name>/status <status>` (xenstore-write from
    /// xenstore-utils), relative to the domain's own xenstore home.
    case xenstoreWrite(program: String)
}

/// A domain created with `xl create`.
package struct DomainSpec: Equatable, Sendable {
    /// Domain name (`name =` in its xl.cfg).
    package var name: String
    /// Path of its xl.cfg.
    package var config: String
    /// Creates a domain entry.
    package init(name: String, config: String) {
        self.name = name
        self.config = config
    }
}

/// The boot partition the control role mounts read-only before it creates any
/// domain: it carries DomD's kernel (which stays out of dom0's initramfs). The
/// partition is found by its GPT name (`PARTNAME=` in the block device's
/// uevent), so the same table serves a QEMU virtio disk and a board's SD card.
package struct BootPartitionSpec: Equatable, Sendable {
    /// The GPT partition name (the board's `flash` partition name, e.g. `boot`).
    package var name: String
    /// Its file system type for mount(2) (`vfat`, `ext4`).
    package var filesystem: String
    /// Where it is mounted.
    package var mountPoint: String
    /// How long to wait for the partition to appear (storage drivers probe asynchronously).
    package var waitMilliseconds: UInt64

    package init(name: String, filesystem: String, mountPoint: String, waitMilliseconds: UInt64 = 10_000) {
        self.name = name
        self.filesystem = filesystem
        self.mountPoint = mountPoint
        self.waitMilliseconds = waitMilliseconds
    }
}

/// A PV USB controller the control role gives a guest with DomD as its backend
/// (`UsbControllerPlacement`): xl 4.17's `usbctrl` cannot name a backend domain.
package struct UsbControllerSpec: Equatable, Sendable {
    /// The guest's domain name (`name =` of its xl.cfg).
    package var guest: String
    /// The controller's devid, 0... in the guest's `usbctrl` order (as xl numbers them).
    package var devid: Int
    /// USB version: 1 or 2 (`usb-ver`).
    package var version: Int
    /// Number of ports, 1...31 (`num-ports`).
    package var ports: Int

    package init(guest: String, devid: Int, version: Int, ports: Int) {
        self.guest = guest
        self.devid = devid
        self.version = version
        self.ports = ports
    }
}

/// What the control role does after the Xen daemons run.
package struct ControlPlan: Equatable, Sendable {
    /// Path of `xl`.
    package var xl: String
    /// Path of `xenstore-read` (package xenstore-utils).
    package var xenstoreRead: String
    /// Path of `xenstore-chmod` (package xenstore-utils): gives DomD read access
    /// to each guest's `/local/domain/<id>/name`, which its backends key bindings by.
    package var xenstoreChmod: String
    /// Path of `xenstore-write` (package xenstore-utils): writes the PV USB
    /// controllers' nodes (all pairs of one call in one transaction).
    package var xenstoreWrite: String
    /// DomD; nil when dom0 is the driver domain.
    package var domd: DomainSpec?
    /// DomD backends whose readiness the control role waits for.
    package var awaitedBackends: [String]
    /// How long to wait for all of them.
    package var readinessTimeoutMilliseconds: UInt64
    /// xl.cfg paths of the guests, created in this order.
    package var guests: [String]
    /// PV USB controllers placed in DomD, by guest name (only with a separate DomD).
    package var usbControllers: [UsbControllerSpec]
    /// The partition mounted before any domain is created; nil mounts none.
    package var bootPartition: BootPartitionSpec?

    /// Creates a control plan using `xl` from the toolstack folder of Debian's
    /// xen-utils-4.17 and `xenstore-read` from Debian's xenstore-utils.
    package init(toolstack: String = "/usr/lib/xen-4.17/bin", xenstoreRead: String = "/usr/bin/xenstore-read",
                xenstoreChmod: String = "/usr/bin/xenstore-chmod", xenstoreWrite: String = "/usr/bin/xenstore-write",
                domd: DomainSpec? = nil, awaitedBackends: [String] = [],
                readinessTimeoutMilliseconds: UInt64 = 60_000, guests: [String] = [],
                usbControllers: [UsbControllerSpec] = [], bootPartition: BootPartitionSpec? = nil) {
        self.xl = toolstack + "/xl"
        self.bootPartition = bootPartition
        self.xenstoreRead = xenstoreRead
        self.xenstoreChmod = xenstoreChmod
        self.xenstoreWrite = xenstoreWrite
        self.usbControllers = usbControllers
        self.domd = domd
        self.awaitedBackends = awaitedBackends
        self.readinessTimeoutMilliseconds = readinessTimeoutMilliseconds
        self.guests = guests
    }

    /// Whether the plan asks for anything beyond the defaults.
    var isEmpty: Bool {
        domd == nil && awaitedBackends.isEmpty && guests.isEmpty && usbControllers.isEmpty && bootPartition == nil
    }
}

/// The service table the build writes into the rootfs (`/etc/driverdom/services`)
/// and the init reads at boot. Text format: see `ServiceTableParser`.
package struct ServiceTable: Equatable, Sendable {
    /// Format version this init understands.
    package static let formatVersion = 1
    /// `modprobe` value meaning: the init loads modules itself.
    package static let initLoadsModules = "init"
    /// Where the init looks for the table by default.
    package static let defaultPath = "/etc/driverdom/services"

    /// Which init this is.
    package var role: InitRole
    /// Path of modprobe, or `ServiceTable.initLoadsModules` when the init loads
    /// modules itself (finit_module, following modules.dep; DomD has no modprobe).
    package var modprobe: String
    /// Modules loaded in order, before anything else runs.
    package var modules: [ModuleSpec]
    /// Directories created (with parents) after the mounts.
    package var directories: [String]
    /// Kernel settings written after the modules and xenfs, before the commands.
    package var settings: [KernelSetting]
    /// Programs run to completion, in order, after modules.
    package var commands: [CommandSpec]
    /// How readiness is published.
    package var readiness: ReadinessPublishing
    /// Backends, started in this order and stopped in reverse.
    package var services: [ServiceSpec]
    /// Control role plan (ignored by the DomD role; must be empty there).
    package var control: ControlPlan

    /// Creates a table.
    package init(role: InitRole, modprobe: String = "/sbin/modprobe", modules: [ModuleSpec] = [],
                directories: [String] = [], settings: [KernelSetting] = [], commands: [CommandSpec] = [],
                readiness: ReadinessPublishing = .console, services: [ServiceSpec] = [],
                control: ControlPlan = ControlPlan()) {
        self.role = role
        self.modprobe = modprobe
        self.modules = modules
        self.directories = directories
        self.settings = settings
        self.commands = commands
        self.readiness = readiness
        self.services = services
        self.control = control
    }

    /// The dom0 bring-up of E2E.md: Xen's folders, modules and daemons, with the
    /// toolstack binaries of Debian's xen-utils-4.17.
    package static func xenControl(toolstack: String = "/usr/lib/xen-4.17/bin",
                                  domd: DomainSpec?,
                                  awaitedBackends: [String], guests: [String],
                                  readinessTimeoutMilliseconds: UInt64 = 60_000,
                                  usbControllers: [UsbControllerSpec] = [],
                                  bootPartition: BootPartitionSpec? = nil,
                                  storageModules: [String] = []) -> ServiceTable {
        // The init loads the modules itself (finit_module, following modules.dep):
        // five modprobe processes cost dom0's bring-up about a second under QEMU TCG.
        ServiceTable(
            role: .control,
            modprobe: initLoadsModules,
            // The storage and file system modules first: the storage driver probes the
            // disk while the Xen modules load and the daemons start.
            modules: (storageModules + ["xen-privcmd", "xenfs", "xen-evtchn", "xen-gntdev", "xen-gntalloc"])
                .map { ModuleSpec(name: $0) },
            directories: ["/var/run/xen", "/var/run/xenstored", "/var/lib/xenstored", "/var/lib/xen",
                          "/var/log/xen/console", "/var/lock", "/run/xen"],
            commands: [
                CommandSpec(program: toolstack + "/xenstored"),
                CommandSpec(program: toolstack + "/xen-init-dom0"),
                CommandSpec(program: toolstack + "/xenconsoled",
                            arguments: ["--log=guest", "--log-dir=/var/log/xen/console"]),
            ],
            control: ControlPlan(toolstack: toolstack, domd: domd, awaitedBackends: awaitedBackends,
                                 readinessTimeoutMilliseconds: readinessTimeoutMilliseconds, guests: guests,
                                 usbControllers: usbControllers, bootPartition: bootPartition))
    }
}
