// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Which init this is.
public enum InitRole: String, Equatable, Sendable {
    /// PID 1 of a driver domain: supervises the backends.
    case domd
    /// PID 1 of dom0: starts the Xen toolstack, creates DomD and the guests
    /// (and supervises backends too when dom0 is itself the driver domain).
    case control
}

/// When a backend that ended is started again.
public enum RestartPolicy: String, Equatable, Sendable {
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
public enum ReadinessMode: String, Equatable, Sendable {
    /// It writes `ready\n` to descriptor `$DRIVERDOM_READY_FD` (3).
    case pipe = "fd"
    /// It counts as ready as soon as it has started.
    case onStart = "on-start"
}

/// A device node a backend waits for before it starts.
public struct DeviceWait: Equatable, Sendable {
    /// The node, e.g. `/dev/input/event0`.
    public var path: String
    /// How long to wait for it.
    public var timeoutMilliseconds: UInt64
    /// Creates a device wait.
    public init(path: String, timeoutMilliseconds: UInt64) {
        self.path = path
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// One backend the init starts and supervises.
public struct ServiceSpec: Equatable, Sendable {
    /// Name; also the xenstore key `drivers/<name>/status`.
    public var name: String
    /// Absolute path of the executable.
    public var program: String
    /// Arguments after argv[0].
    public var arguments: [String]
    /// Extra `NAME=VALUE` environment strings.
    public var environment: [String]
    /// The device node it needs, if any.
    public var device: DeviceWait?
    /// When it is restarted.
    public var restart: RestartPolicy
    /// Restarts allowed before the init gives up on it (counted over the
    /// init's whole life: a backend that keeps failing, however slowly, is
    /// eventually given up on).
    public var maxRestarts: Int
    /// Delay before the first restart; doubled for each further one.
    public var backoffMilliseconds: UInt64
    /// Upper bound of the restart delay.
    public var maxBackoffMilliseconds: UInt64
    /// Time between SIGTERM and SIGKILL at shutdown.
    public var stopTimeoutMilliseconds: UInt64
    /// How it reports readiness.
    public var readiness: ReadinessMode

    /// Creates a service with the table's defaults for everything optional.
    public init(name: String, program: String, arguments: [String] = [], environment: [String] = [],
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
    public func restartDelayMilliseconds(forRestart restart: Int) -> UInt64 {
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
public struct ModuleSpec: Equatable, Sendable {
    /// Module name as modprobe takes it.
    public var name: String
    /// `key=value` parameters.
    public var parameters: [String]
    /// Creates a module entry.
    public init(name: String, parameters: [String] = []) {
        self.name = name
        self.parameters = parameters
    }
}

/// A kernel setting written during bring-up: `value` written to the sysfs or
/// procfs file `path` (e.g. the Xen balloon's target).
public struct KernelSetting: Equatable, Sendable {
    /// Absolute path of the file, e.g. `/sys/devices/system/xen_memory/xen_memory0/target_kb`.
    public var path: String
    /// What is written (no spaces, no line breaks).
    public var value: String
    /// Creates a setting.
    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }
}

/// A program run to completion during bring-up (e.g. `xenstored`, which forks
/// into the background, or `xen-init-dom0`).
public struct CommandSpec: Equatable, Sendable {
    /// Absolute path of the executable.
    public var program: String
    /// Arguments (no spaces inside one argument).
    public var arguments: [String]
    /// Creates a command.
    public init(program: String, arguments: [String] = []) {
        self.program = program
        self.arguments = arguments
    }
}

/// Where the init publishes a backend's readiness.
public enum ReadinessPublishing: Equatable, Sendable {
    /// Console log lines only.
    case console
    /// One file per backend `<directory>/<name>.status` holding the status word.
    case file(directory: String)
    /// Runs `<program> drivers/<name>/status <status>` (xenstore-write from
    /// xenstore-utils), relative to the domain's own xenstore home.
    case xenstoreWrite(program: String)
}

/// A domain created with `xl create`.
public struct DomainSpec: Equatable, Sendable {
    /// Domain name (`name =` in its xl.cfg).
    public var name: String
    /// Path of its xl.cfg.
    public var config: String
    /// Creates a domain entry.
    public init(name: String, config: String) {
        self.name = name
        self.config = config
    }
}

/// A PV USB controller the control role gives a guest with DomD as its backend
/// (`UsbControllerPlacement`): xl 4.17's `usbctrl` cannot name a backend domain.
public struct UsbControllerSpec: Equatable, Sendable {
    /// The guest's domain name (`name =` of its xl.cfg).
    public var guest: String
    /// The controller's devid, 0... in the guest's `usbctrl` order (as xl numbers them).
    public var devid: Int
    /// USB version: 1 or 2 (`usb-ver`).
    public var version: Int
    /// Number of ports, 1...31 (`num-ports`).
    public var ports: Int

    public init(guest: String, devid: Int, version: Int, ports: Int) {
        self.guest = guest
        self.devid = devid
        self.version = version
        self.ports = ports
    }
}

/// What the control role does after the Xen daemons run.
public struct ControlPlan: Equatable, Sendable {
    /// Path of `xl`.
    public var xl: String
    /// Path of `xenstore-read` (package xenstore-utils).
    public var xenstoreRead: String
    /// Path of `xenstore-chmod` (package xenstore-utils): gives DomD read access
    /// to each guest's `/local/domain/<id>/name`, which its backends key bindings by.
    public var xenstoreChmod: String
    /// Path of `xenstore-write` (package xenstore-utils): writes the PV USB
    /// controllers' nodes (all pairs of one call in one transaction).
    public var xenstoreWrite: String
    /// DomD; nil when dom0 is the driver domain.
    public var domd: DomainSpec?
    /// DomD backends whose readiness the control role waits for.
    public var awaitedBackends: [String]
    /// How long to wait for all of them.
    public var readinessTimeoutMilliseconds: UInt64
    /// xl.cfg paths of the guests, created in this order.
    public var guests: [String]
    /// PV USB controllers placed in DomD, by guest name (only with a separate DomD).
    public var usbControllers: [UsbControllerSpec]

    /// Creates a control plan using `xl` from the toolstack folder of Debian's
    /// xen-utils-4.17 and `xenstore-read` from Debian's xenstore-utils.
    public init(toolstack: String = "/usr/lib/xen-4.17/bin", xenstoreRead: String = "/usr/bin/xenstore-read",
                xenstoreChmod: String = "/usr/bin/xenstore-chmod", xenstoreWrite: String = "/usr/bin/xenstore-write",
                domd: DomainSpec? = nil, awaitedBackends: [String] = [],
                readinessTimeoutMilliseconds: UInt64 = 60_000, guests: [String] = [],
                usbControllers: [UsbControllerSpec] = []) {
        self.xl = toolstack + "/xl"
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
    var isEmpty: Bool { domd == nil && awaitedBackends.isEmpty && guests.isEmpty && usbControllers.isEmpty }
}

/// The service table the build writes into the rootfs (`/etc/driverdom/services`)
/// and the init reads at boot. Text format: see `ServiceTableParser`.
public struct ServiceTable: Equatable, Sendable {
    /// Format version this init understands.
    public static let formatVersion = 1
    /// `modprobe` value meaning: the init loads modules itself.
    public static let initLoadsModules = "init"
    /// Where the init looks for the table by default.
    public static let defaultPath = "/etc/driverdom/services"

    /// Which init this is.
    public var role: InitRole
    /// Path of modprobe, or `ServiceTable.initLoadsModules` when the init loads
    /// modules itself (finit_module, following modules.dep; DomD has no modprobe).
    public var modprobe: String
    /// Modules loaded in order, before anything else runs.
    public var modules: [ModuleSpec]
    /// Directories created (with parents) after the mounts.
    public var directories: [String]
    /// Kernel settings written after the modules and xenfs, before the commands.
    public var settings: [KernelSetting]
    /// Programs run to completion, in order, after modules.
    public var commands: [CommandSpec]
    /// How readiness is published.
    public var readiness: ReadinessPublishing
    /// Backends, started in this order and stopped in reverse.
    public var services: [ServiceSpec]
    /// Control role plan (ignored by the DomD role; must be empty there).
    public var control: ControlPlan

    /// Creates a table.
    public init(role: InitRole, modprobe: String = "/sbin/modprobe", modules: [ModuleSpec] = [],
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
    public static func xenControl(toolstack: String = "/usr/lib/xen-4.17/bin",
                                  domd: DomainSpec?,
                                  awaitedBackends: [String], guests: [String],
                                  readinessTimeoutMilliseconds: UInt64 = 60_000,
                                  usbControllers: [UsbControllerSpec] = []) -> ServiceTable {
        ServiceTable(
            role: .control,
            modules: ["xen-privcmd", "xenfs", "xen-evtchn", "xen-gntdev", "xen-gntalloc"].map { ModuleSpec(name: $0) },
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
                                 usbControllers: usbControllers))
    }
}
