// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A scripted runner for tests: records every command and answers from a
/// script (a closure from command to result, or a side effect such as writing
/// the file the real tool would write). Non-zero scripted results throw
/// `toolFailed` exactly as the real runner does.
// @unchecked Sendable: `recorded` is read and written only under `lock`; the script is @Sendable.
package final class RecordingToolRunner: ToolRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [ToolCommand] = []
    private let script: @Sendable (ToolCommand) throws -> ToolResult

    /// A runner answering each command with `script` (default: success, no output).
    package init(script: @escaping @Sendable (ToolCommand) throws -> ToolResult = { _ in ToolResult() }) {
        self.script = script
    }

    /// A runner answering from a queue of results, in order; running out
    /// throws `scriptExhausted`.
    package convenience init(results: [ToolResult]) {
        let queue = ResultQueue(results)
        self.init(script: { command in
            guard let next = queue.next() else { throw BuildEngineError.scriptExhausted(command: command.description) }
            return next
        })
    }

    /// Every command run so far, in order.
    package var commands: [ToolCommand] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }

    /// Records `command`, answers from the script, and passes the scripted
    /// stdout then stderr to `onOutput`.
    package func run(_ command: ToolCommand, allowFailure: Bool, onOutput: ToolOutputHandler?) throws -> ToolResult {
        lock.lock()
        recorded.append(command)
        lock.unlock()
        let result = try script(command)
        if let onOutput {
            if !result.standardOutput.isEmpty { onOutput(.standardOutput, result.standardOutput) }
            if !result.standardError.isEmpty { onOutput(.standardError, result.standardError) }
        }
        return try result.checked(command, allowFailure: allowFailure)
    }
}

// @unchecked Sendable: `results` is read and written only under `lock`.
private final class ResultQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [ToolResult]
    init(_ results: [ToolResult]) { self.results = results }
    func next() -> ToolResult? {
        lock.lock(); defer { lock.unlock() }
        return results.isEmpty ? nil : results.removeFirst()
    }
}
