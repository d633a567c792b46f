// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A process id as the kernel reports it.
package struct ProcessID: Hashable, Comparable, CustomStringConvertible, Sendable {
    /// The raw pid.
    package var rawValue: Int32
    /// Wraps a raw pid.
    package init(_ rawValue: Int32) { self.rawValue = rawValue }
    package static func < (lhs: ProcessID, rhs: ProcessID) -> Bool { lhs.rawValue < rhs.rawValue }
    package var description: String { "\(rawValue)" }
}

/// A readable pipe end the init watches (a file descriptor in the real implementation).
package struct Channel: Hashable, Sendable {
    /// The raw descriptor (or scripted handle).
    package var rawValue: Int32
    /// Wraps a raw descriptor.
    package init(_ rawValue: Int32) { self.rawValue = rawValue }
}

/// Signals the init sends to its children.
package enum ChildSignal: Int32, Equatable, Sendable {
    /// SIGTERM: please stop.
    case terminate = 15
    /// SIGKILL: stop now.
    case kill = 9
}

/// What the system asks the init to do, from a signal sent to PID 1.
package enum PowerRequest: Equatable, Sendable {
    /// Stop everything and power off (SIGTERM, SIGUSR1, SIGUSR2, SIGPWR: busybox
    /// `halt`/`poweroff` and the hypervisor's shutdown all end here).
    case powerOff
    /// Stop everything and restart (SIGINT: ctrl-alt-del).
    case restart
}

/// How a child ended.
package enum ChildStatus: Equatable, Sendable, CustomStringConvertible {
    /// It called exit with this status.
    case exited(Int32)
    /// A signal with this number killed it.
    case signaled(Int32)

    /// Whether it ended with exit status 0.
    package var isSuccess: Bool { self == .exited(0) }

    package var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signaled(let signal): return "killed by signal \(signal) (\(signalName(signal)))"
        }
    }
}

/// A reaped child.
package struct ChildExit: Equatable, Sendable {
    /// Its pid.
    package var pid: ProcessID
    /// How it ended.
    package var status: ChildStatus
    /// Creates a record of a reaped child.
    package init(pid: ProcessID, status: ChildStatus) {
        self.pid = pid
        self.status = status
    }
}

/// A program to start.
package struct SpawnRequest: Equatable, Sendable {
    /// Absolute path of the executable.
    package var program: String
    /// Arguments after argv[0] (argv[0] is `program`).
    package var arguments: [String]
    /// `NAME=VALUE` strings; the whole environment of the child.
    package var environment: [String]
    /// Give the child a readiness pipe at descriptor 3 (`DRIVERDOM_READY_FD=3`).
    package var readinessPipe: Bool
    /// Capture the child's stdout into a pipe the init reads.
    package var captureOutput: Bool
    /// Send the child's stderr to /dev/null (polls whose failure is expected).
    package var discardErrors: Bool

    /// Creates a spawn request.
    package init(program: String, arguments: [String] = [], environment: [String] = [],
                readinessPipe: Bool = false, captureOutput: Bool = false, discardErrors: Bool = false) {
        self.program = program
        self.arguments = arguments
        self.environment = environment
        self.readinessPipe = readinessPipe
        self.captureOutput = captureOutput
        self.discardErrors = discardErrors
    }
}

/// A started child and the pipes the init holds to it.
package struct SpawnedChild: Equatable, Sendable {
    /// Its pid (also its process group id).
    package var pid: ProcessID
    /// Read end of its readiness pipe, if requested.
    package var readiness: Channel?
    /// Read end of its stdout, if captured.
    package var output: Channel?
}

/// What ended a wait.
package struct Wakeup: Equatable, Sendable {
    /// Power requests that arrived (signals to PID 1).
    package var requests: [PowerRequest]
    /// Watched channels that are readable (data or end of file).
    package var readable: [Channel]
    /// Creates a wakeup record.
    package init(requests: [PowerRequest] = [], readable: [Channel] = []) {
        self.requests = requests
        self.readable = readable
    }
}

/// Result of a non-blocking read of a channel.
package enum ChannelRead: Equatable, Sendable {
    /// Bytes that were available.
    case data([UInt8])
    /// Nothing available right now.
    case empty
    /// The writer closed its end (or the read failed): stop watching.
    case endOfFile
}

/// Which file system to mount where.
package struct MountRequest: Equatable, Sendable {
    /// Source (`proc`, `sysfs`, `devtmpfs`, ...).
    package var source: String
    /// Mount point.
    package var target: String
    /// File system type.
    package var type: String
    /// Mount options string (`data` argument of mount(2)).
    package var options: String
    /// Mounts read-only (`MS_RDONLY`).
    package var readOnly: Bool
    /// Creates a mount request.
    package init(source: String, target: String, type: String, options: String = "", readOnly: Bool = false) {
        self.source = source
        self.target = target
        self.type = type
        self.options = options
        self.readOnly = readOnly
    }
}

/// How the machine should stop.
package enum PowerAction: Equatable, Sendable {
    /// `reboot(RB_POWER_OFF)`.
    case powerOff
    /// `reboot(RB_AUTOBOOT)`.
    case restart
}
