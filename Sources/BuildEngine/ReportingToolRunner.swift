// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Wraps the caller's runner for one step: reports each command and its
/// result (verbose output), and refuses to start commands once the build is
/// interrupted.
struct ReportingToolRunner: ToolRunner {
    let base: any ToolRunner
    let step: StepID
    let reporter: any BuildReporter
    let cancellation: CancellationToken

    func run(_ command: ToolCommand, allowFailure: Bool, onOutput: ToolOutputHandler?) throws -> ToolResult {
        if cancellation.isCancelled { throw BuildEngineError.interrupted }
        reporter.report(.toolStarted(step: step, command: command.description))
        let result: ToolResult
        do {
            result = try base.run(command, allowFailure: true, onOutput: onOutput)
        } catch {
            if cancellation.isCancelled { throw BuildEngineError.interrupted }
            throw error
        }
        reporter.report(.toolFinished(step: step, command: command.description, result: result))
        if cancellation.isCancelled { throw BuildEngineError.interrupted }
        return try result.checked(command, allowFailure: allowFailure)
    }
}
