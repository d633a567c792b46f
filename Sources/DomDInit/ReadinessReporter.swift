// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// What the init publishes about a backend at `drivers/<name>/status`.
package enum BackendStatus: String, Equatable, Sendable {
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
package protocol ReadinessReporter {
    /// Publishes one status change. Failures are logged by the init, not fatal.
    mutating func publish(_ status: BackendStatus, backend: String) throws(InitError)
}

/// Logs status changes to the console only.
package struct ConsoleReadinessReporter<Control: ProcessControl>: ReadinessReporter {
    let control: Control
    /// Creates a reporter that logs through `control`.
    package init(control: Control) { self.control = control }
    package mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        control.log("backend " + backend + " status " + status.rawValue)
    }
}

/// Records every status change (tests).
package final class RecordingReadinessReporter: ReadinessReporter {
    /// `(backend, status)` in publication order.
    package private(set) var published: [(backend: String, status: BackendStatus)] = []
    /// Creates an empty recorder.
    package init() {}
    package func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        published.append((backend, status))
    }
}

/// Publishes nothing.
package struct NullReadinessReporter: ReadinessReporter {
    /// Creates the null reporter.
    package init() {}
    package mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {}
}
