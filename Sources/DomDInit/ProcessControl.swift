// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A process id as the kernel reports it.
public struct ProcessID: Hashable, Comparable, CustomStringConvertible {
    /// The raw pid.
    public var rawValue: Int32
    /// Wraps a raw pid.
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
    public static func < (lhs: ProcessID, rhs: ProcessID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "\(rawValue)" }
}

/// A readable pipe end the init watches (a file descriptor in the real implementation).
public struct Channel: Hashable {
    /// The raw descriptor (or scripted handle).
    public var rawValue: Int32
    /// Wraps a raw descriptor.
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
}

/// Signals the init sends to its children.
public enum ChildSignal: Int32, Equatable {
    /// SIGTERM: please stop.
    case terminate = 15
    /// SIGKILL: stop now.
    case kill = 9
}

/// What the system asks the init to do, from a signal sent to PID 1.
public enum PowerRequest: Equatable {
    /// Stop everything and power off (SIGTERM, SIGUSR1, SIGUSR2, SIGPWR: busybox
    /// `halt`/`poweroff` and the hypervisor's shutdown all end here).
    case powerOff
    /// Stop everything and restart (SIGINT: ctrl-alt-del).
    case restart
}

/// How a child ended.
public enum ChildStatus: Equatable, CustomStringConvertible {
    /// It called exit with this status.
    case exited(Int32)
    /// A signal with this number killed it.
    case signaled(Int32)

    /// Whether it ended with exit status 0.
    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signaled(let signal): return "killed by signal \(signal) (\(signalName(signal)))"
        }
    }
}

/// A reaped child.
public struct ChildExit: Equatable {
    /// Its pid.
    public var pid: ProcessID
    /// How it ended.
    public var status: ChildStatus
    /// Creates a record of a reaped child.
    public init(pid: ProcessID, status: ChildStatus) {
        self.pid = pid
        self.status = status
    }
}

/// A program to start.
public struct SpawnRequest: Equatable {
    /// Absolute path of the executable.
    public var program: String
    /// Arguments after argv[0] (argv[0] is `program`).
    public var arguments: [String]
    /// `NAME=VALUE` strings; the whole environment of the child.
    public var environment: [String]
    /// Give the child a readiness pipe at descriptor 3 (`DRIVERDOM_READY_FD=3`).
    public var readinessPipe: Bool
    /// Capture the child's stdout into a pipe the init reads.
    public var captureOutput: Bool

    /// Creates a spawn request.
    public init(program: String, arguments: [String] = [], environment: [String] = [],
                readinessPipe: Bool = false, captureOutput: Bool = false) {
        self.program = program
        self.arguments = arguments
        self.environment = environment
        self.readinessPipe = readinessPipe
        self.captureOutput = captureOutput
    }
}

/// A started child and the pipes the init holds to it.
public struct SpawnedChild: Equatable {
    /// Its pid (also its process group id).
    public var pid: ProcessID
    /// Read end of its readiness pipe, if requested.
    public var readiness: Channel?
    /// Read end of its stdout, if captured.
    public var output: Channel?
}

/// What ended a wait.
public struct Wakeup: Equatable {
    /// Power requests that arrived (signals to PID 1).
    public var requests: [PowerRequest]
    /// Watched channels that are readable (data or end of file).
    public var readable: [Channel]
    /// Creates a wakeup record.
    public init(requests: [PowerRequest] = [], readable: [Channel] = []) {
        self.requests = requests
        self.readable = readable
    }
}

/// Result of a non-blocking read of a channel.
public enum ChannelRead: Equatable {
    /// Bytes that were available.
    case data([UInt8])
    /// Nothing available right now.
    case empty
    /// The writer closed its end (or the read failed): stop watching.
    case endOfFile
}

/// Which file system to mount where.
public struct MountRequest: Equatable {
    /// Source (`proc`, `sysfs`, `devtmpfs`, ...).
    public var source: String
    /// Mount point.
    public var target: String
    /// File system type.
    public var type: String
    /// Mount options string (`data` argument of mount(2)).
    public var options: String
    /// Creates a mount request.
    public init(source: String, target: String, type: String, options: String = "") {
        self.source = source
        self.target = target
        self.type = type
        self.options = options
    }
}

/// How the machine should stop.
public enum PowerAction: Equatable {
    /// `reboot(RB_POWER_OFF)`.
    case powerOff
    /// `reboot(RB_AUTOBOOT)`.
    case restart
}

/// Everything the init does to the system, so its logic runs against a scripted
/// system in tests. Implementations: `LinuxProcessControl` (libc),
/// `ScriptedProcessControl` (virtual clock, scripted children),
/// `NullProcessControl` (does nothing, nothing ever happens).
///
/// Class-bound so the init and its readiness reporters can share one instance.
public protocol ProcessControl: AnyObject {
    /// Mounts a file system; an already mounted target is success.
    func mount(_ request: MountRequest) throws(InitError)
    /// Creates a directory and its missing parents (`mkdir -p`).
    func makeDirectory(_ path: String) throws(InitError)
    /// Starts a program in its own process group.
    func spawn(_ request: SpawnRequest) throws(InitError) -> SpawnedChild
    /// Reaps one child that has ended, without blocking; nil when none has.
    func reapAny() -> ChildExit?
    /// Sends a signal to a child's whole process group.
    func signal(_ pid: ProcessID, _ signal: ChildSignal)
    /// Monotonic time in nanoseconds since boot.
    func now() -> UInt64
    /// Blocks until `deadline` (monotonic ns), a child changes state, a power
    /// request arrives or one of `channels` becomes readable, whichever is first.
    func wait(until deadline: UInt64, watching channels: [Channel]) -> Wakeup
    /// Reads what is available on a channel without blocking.
    func read(_ channel: Channel) -> ChannelRead
    /// Closes a channel the init no longer needs.
    func close(_ channel: Channel)
    /// Whether a path (a device node) exists.
    func pathExists(_ path: String) -> Bool
    /// Replaces a file's contents (small status files).
    func writeFile(_ path: String, contents: String) throws(InitError)
    /// Writes text to the console as is.
    func writeConsole(_ text: String)
    /// Stops the machine. Returns only if that failed (or in tests).
    func power(_ action: PowerAction)
}

extension ProcessControl {
    /// Writes one console line prefixed with the time since boot, kernel style:
    /// `[   1.234567] init: message`.
    public func log(_ message: String) {
        writeConsole(formatLogLine(nanoseconds: now(), message: message))
    }
}

/// Formats a console line `[ssss.uuuuuu] init: message\n` like the kernel's printk time.
public func formatLogLine(nanoseconds: UInt64, message: String) -> String {
    let micros = nanoseconds / 1_000
    let seconds = micros / 1_000_000
    let fraction = micros % 1_000_000
    var secondsText = "\(seconds)"
    while secondsText.utf8.count < 5 { secondsText = " " + secondsText }
    var fractionText = "\(fraction)"
    while fractionText.utf8.count < 6 { fractionText = "0" + fractionText }
    return "[" + secondsText + "." + fractionText + "] init: " + message + "\n"
}

/// Formats a duration in nanoseconds as seconds with three decimals (`1.250 s`).
public func formatDuration(_ nanoseconds: UInt64) -> String {
    let millis = nanoseconds / 1_000_000
    var fraction = "\(millis % 1_000)"
    while fraction.utf8.count < 3 { fraction = "0" + fraction }
    return "\(millis / 1_000)." + fraction + " s"
}

/// Name of a common Linux signal number, for log lines.
public func signalName(_ number: Int32) -> String {
    switch number {
    case 1: return "SIGHUP"
    case 2: return "SIGINT"
    case 3: return "SIGQUIT"
    case 4: return "SIGILL"
    case 5: return "SIGTRAP"
    case 6: return "SIGABRT"
    case 7: return "SIGBUS"
    case 8: return "SIGFPE"
    case 9: return "SIGKILL"
    case 11: return "SIGSEGV"
    case 13: return "SIGPIPE"
    case 14: return "SIGALRM"
    case 15: return "SIGTERM"
    default: return "signal \(number)"
    }
}
