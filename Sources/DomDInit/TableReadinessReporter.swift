// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The reporter a table's `readiness` directive selects, as one concrete type.
package struct TableReadinessReporter<Control: ProcessControl>: ReadinessReporter {
    var console: ConsoleReadinessReporter<Control>
    var file: FileReadinessReporter<Control>?
    var xenstore: XenstoreWriteReadinessReporter<Control>?

    /// Creates the reporter for `publishing`; every kind also logs to the console.
    package init(control: Control, publishing: ReadinessPublishing) {
        console = ConsoleReadinessReporter(control: control)
        switch publishing {
        case .console: break
        case .file(let directory): file = FileReadinessReporter(control: control, directory: directory)
        case .xenstoreWrite(let program): xenstore = XenstoreWriteReadinessReporter(control: control, program: program)
        }
    }

    package mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        try console.publish(status, backend: backend)
        try file?.publish(status, backend: backend)
        try xenstore?.publish(status, backend: backend)
    }
}
