// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// What the init publishes about a backend at `drivers/<name>/status`.
public enum BackendStatus: String, Equatable {
    /// Started, not registered yet.
    case starting
    /// Registered (reached InitWait): frontends can connect.
    case ready
    /// Ended and waiting for its restart.
    case restarting
    /// Given up on (device missing, or restart limit reached).
    case failed
    /// Stopped at shutdown.
    case stopped
}

/// Publishes backend readiness where the control domain can see it. The Xen
/// implementation writes `drivers/<name>/status` in the domain's own xenstore
/// home (`/local/domain/<domid>/drivers`, which libxl makes writable by the
/// domain); `ServiceTableParser`'s `readiness` directive picks one.
public protocol ReadinessReporter {
    /// Publishes one status change. Failures are logged by the init, not fatal.
    mutating func publish(_ status: BackendStatus, backend: String) throws(InitError)
}

/// Logs status changes to the console only.
public struct ConsoleReadinessReporter<Control: ProcessControl>: ReadinessReporter {
    let control: Control
    /// Creates a reporter that logs through `control`.
    public init(control: Control) { self.control = control }
    public mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        control.log("backend " + backend + " status " + status.rawValue)
    }
}

/// Writes `<directory>/<backend>.status` containing the status word and a newline.
public struct FileReadinessReporter<Control: ProcessControl>: ReadinessReporter {
    let control: Control
    let directory: String
    /// Creates a reporter writing into `directory` (created on first use).
    public init(control: Control, directory: String) {
        self.control = control
        self.directory = directory
    }
    public mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        try control.makeDirectory(directory)
        try control.writeFile(directory + "/" + backend + ".status", contents: status.rawValue + "\n")
    }
}

/// Runs `xenstore-write drivers/<backend>/status <status>` (package
/// xenstore-utils) without waiting for it; the init reaps it and logs a failure
/// like any other child's.
public struct XenstoreWriteReadinessReporter<Control: ProcessControl>: ReadinessReporter {
    let control: Control
    let program: String
    /// Creates a reporter running `program`.
    public init(control: Control, program: String) {
        self.control = control
        self.program = program
    }
    public mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        let child = try control.spawn(SpawnRequest(program: program,
                                                   arguments: ["drivers/" + backend + "/status", status.rawValue]))
        control.log("publishing " + backend + " status " + status.rawValue + " via " + program + " (pid \(child.pid))")
    }
}

/// The reporter a table's `readiness` directive selects, as one concrete type.
public struct TableReadinessReporter<Control: ProcessControl>: ReadinessReporter {
    var console: ConsoleReadinessReporter<Control>
    var file: FileReadinessReporter<Control>?
    var xenstore: XenstoreWriteReadinessReporter<Control>?

    /// Creates the reporter for `publishing`; every kind also logs to the console.
    public init(control: Control, publishing: ReadinessPublishing) {
        console = ConsoleReadinessReporter(control: control)
        switch publishing {
        case .console: break
        case .file(let directory): file = FileReadinessReporter(control: control, directory: directory)
        case .xenstoreWrite(let program): xenstore = XenstoreWriteReadinessReporter(control: control, program: program)
        }
    }

    public mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        try console.publish(status, backend: backend)
        try file?.publish(status, backend: backend)
        try xenstore?.publish(status, backend: backend)
    }
}

/// Records every status change (tests).
public final class RecordingReadinessReporter: ReadinessReporter {
    /// `(backend, status)` in publication order.
    public private(set) var published: [(backend: String, status: BackendStatus)] = []
    /// Creates an empty recorder.
    public init() {}
    public func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        published.append((backend, status))
    }
}

/// Publishes nothing.
public struct NullReadinessReporter: ReadinessReporter {
    /// Creates the null reporter.
    public init() {}
    public mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {}
}
