// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs nothing: records each command, reports it as a note, and returns an
/// empty successful result. For `--dry-run` style planning output.
// @unchecked Sendable: `recorded` is read and written only under `lock`; the rest is immutable.
package final class DryRunToolRunner: ToolRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [ToolCommand] = []
    private let print: @Sendable (String) -> Void

    /// A dry-run runner; `print` receives each command line (default: stdout).
    package init(print: @escaping @Sendable (String) -> Void = { Swift.print("would run: " + $0) }) {
        self.print = print
    }

    /// Every command "run" so far, in order.
    package var commands: [ToolCommand] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }

    package func run(_ command: ToolCommand, allowFailure: Bool, onOutput: ToolOutputHandler?) throws -> ToolResult {
        lock.lock()
        recorded.append(command)
        lock.unlock()
        print(command.description)
        return ToolResult()
    }
}
