// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// One external command: program and arguments, working folder and extra environment.
public struct Command: Equatable, Sendable {
    /// Program path or name (looked up in `PATH`) followed by its arguments.
    public var arguments: [String]
    /// Working folder, or nil for the current one.
    public var workingDirectory: URL?
    /// Variables added to the inherited environment.
    public var environment: [String: String]

    public init(_ arguments: [String], workingDirectory: URL? = nil, environment: [String: String] = [:]) {
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
    }
}

/// What a finished command printed.
public struct CommandOutput: Equatable, Sendable {
    public var standardOutput: Data
    public var standardError: String
    public init(standardOutput: Data, standardError: String) {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
    /// Standard output decoded as UTF-8 (invalid bytes replaced).
    public var text: String { String(decoding: standardOutput, as: UTF8.self) }
}

/// Runs external commands; the seam the build engine's tool runner plugs into
/// (`ToolCommandRunner`).
public protocol CommandRunning: Sendable {
    /// Runs `command` to completion and returns its output;
    /// throws `DebianPackagesError.commandFailed` on a non-zero exit.
    func run(_ command: Command) throws -> CommandOutput
}

/// Runs commands through a BuildEngine `ToolRunner` (inside a build the step's,
/// so its commands are reported and stop on interruption).
public struct ToolCommandRunner: CommandRunning {
    /// What runs the commands.
    public let tools: any ToolRunner

    public init(tools: any ToolRunner) { self.tools = tools }

    public func run(_ command: Command) throws -> CommandOutput {
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
public struct ProcessCommandRunner: CommandRunning {
    private let runner = ToolCommandRunner(tools: ProcessToolRunner(cancellation: CancellationToken()))

    public init() {}

    public func run(_ command: Command) throws -> CommandOutput { try runner.run(command) }
}

/// Passes commands to another runner and records each one, for tests and `--verbose`.
// @unchecked Sendable: `recorded` is read and written only under `lock`; `inner` is a
// Sendable `CommandRunning`.
public final class RecordingCommandRunner<Inner: CommandRunning>: CommandRunning, @unchecked Sendable {
    private let inner: Inner
    private let lock = NSLock()
    private var recorded: [Command] = []

    public init(_ inner: Inner) { self.inner = inner }

    /// The commands run so far, in order.
    public var commands: [Command] { lock.lock(); defer { lock.unlock() }; return recorded }

    public func run(_ command: Command) throws -> CommandOutput {
        lock.lock(); recorded.append(command); lock.unlock()
        return try inner.run(command)
    }
}

/// Runs nothing and reports success with empty output: for dry runs that only
/// record what would be executed (wrap it in a `RecordingCommandRunner`).
public struct NullCommandRunner: CommandRunning {
    public init() {}

    public func run(_ command: Command) throws -> CommandOutput {
        CommandOutput(standardOutput: Data(), standardError: "")
    }
}
