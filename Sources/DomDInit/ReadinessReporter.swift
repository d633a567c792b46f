// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// What the init publishes about a backend at `drivers/<name>/status`.
public enum BackendStatus: String, Equatable, Sendable {
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
