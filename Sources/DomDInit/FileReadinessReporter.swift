// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Writes `<directory>/<backend>.status` containing the status word and a newline.
package struct FileReadinessReporter<Control: ProcessControl>: ReadinessReporter {
    let control: Control
    let directory: String
    /// Creates a reporter writing into `directory` (created on first use).
    package init(control: Control, directory: String) {
        self.control = control
        self.directory = directory
    }
    package mutating func publish(_ status: BackendStatus, backend: String) throws(InitError) {
        try control.makeDirectory(directory)
        try control.writeFile(directory + "/" + backend + ".status", contents: status.rawValue + "\n")
    }
}
