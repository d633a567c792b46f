// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// One external command: program and arguments, working folder and extra environment.
package struct Command: Equatable, Sendable {
    /// Program path or name (looked up in `PATH`) followed by its arguments.
    package var arguments: [String]
    /// Working folder, or nil for the current one.
    package var workingDirectory: URL?
    /// Variables added to the inherited environment.
    package var environment: [String: String]

    package init(_ arguments: [String], workingDirectory: URL? = nil, environment: [String: String] = [:]) {
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
    }
}

/// What a finished command printed.
package struct CommandOutput: Equatable, Sendable {
    package var standardOutput: Data
    package var standardError: String
    package init(standardOutput: Data, standardError: String) {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
    /// Standard output decoded as UTF-8 (invalid bytes replaced).
    package var text: String { String(decoding: standardOutput, as: UTF8.self) }
}

/// Runs external commands; the seam the build engine's tool runner plugs into
/// (`ToolCommandRunner`).
package protocol CommandRunning: Sendable {
    /// Runs `command` to completion and returns its output;
    /// throws `DebianPackagesError.commandFailed` on a non-zero exit.
    func run(_ command: Command) throws -> CommandOutput
}

/// Runs commands through a BuildEngine `ToolRunner` (inside a build the step's,
/// so its commands are reported and stop on interruption).
package struct ToolCommandRunner: CommandRunning {
    /// What runs the commands.
    package let tools: any ToolRunner

    package init(tools: any ToolRunner) { self.tools = tools }

    package func run(_ command: Command) throws -> CommandOutput {
        guard let executable = command.arguments.first else {
            throw DebianPackagesError.commandFailed(command: [], status: -1, output: "empty command")
        }
        do {
            let result = try tools.run(ToolCommand(executable, Array(command.arguments.dropFirst()),
                                                   environment: command.environment,
                                                   workingDirectory: command.workingDirectory?.path),
                                       allowFailure: true)
            guard result.succeeded else {
                // All of stdout, not a tail: callers read it (curl's --write-out line per transfer).
                throw DebianPackagesError.commandFailed(command: command.arguments, status: result.status,
                                                        output: result.stdoutText + result.stderrText)
            }
            return CommandOutput(standardOutput: result.standardOutput, standardError: result.stderrText)
        } catch let BuildEngineError.toolLaunchFailed(_, code) {
            throw DebianPackagesError.commandFailed(command: command.arguments, status: -1,
                                                    output: "cannot start \(executable) (errno \(code))")
        }
    }
}

/// Runs commands as child processes: a `ToolCommandRunner` over BuildEngine's
/// `ProcessToolRunner` that nothing cancels (outside a build).
package struct ProcessCommandRunner: CommandRunning {
    private let runner = ToolCommandRunner(tools: ProcessToolRunner(cancellation: CancellationToken()))

    package init() {}

    package func run(_ command: Command) throws -> CommandOutput { try runner.run(command) }
}

/// Passes commands to another runner and records each one, for tests and `--verbose`.
// @unchecked Sendable: `recorded` is read and written only under `lock`; `inner` is a
// Sendable `CommandRunning`.
package final class RecordingCommandRunner<Inner: CommandRunning>: CommandRunning, @unchecked Sendable {
    private let inner: Inner
    private let lock = NSLock()
    private var recorded: [Command] = []

    package init(_ inner: Inner) { self.inner = inner }

    /// The commands run so far, in order.
    package var commands: [Command] { lock.lock(); defer { lock.unlock() }; return recorded }

    package func run(_ command: Command) throws -> CommandOutput {
        lock.lock(); recorded.append(command); lock.unlock()
        return try inner.run(command)
    }
}

/// Runs nothing and reports success with empty output: for dry runs that only
/// record what would be executed (wrap it in a `RecordingCommandRunner`).
package struct NullCommandRunner: CommandRunning {
    package init() {}

    package func run(_ command: Command) throws -> CommandOutput {
        CommandOutput(standardOutput: Data(), standardError: "")
    }
}
