// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Runs `xenstore-write drivers/<backend>/status <status>` (package
/// xenstore-utils) without waiting for it; the init reaps it and logs a failure
/// like any other child's.
package struct XenstoreWriteReadinessReporter<Control: ProcessControl>: ReadinessReporter {
    let control: Control
    let program: String
    /// Creates a reporter running `program`.
    package init(control: Control, program: String) {
        self.control = control
        self.program = program
    }
    package mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        let child = try control.spawn(SpawnRequest(program: program,
                                                   arguments: ["drivers/" + backend + "/status", status.rawValue]))
        control.log("publishing " + backend + " status " + status.rawValue + " via " + program + " (pid \(child.pid))")
    }
}
