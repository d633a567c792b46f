// SPDX-License-Identifier: Apache-2.0
import Foundation

/// An external command: the executable (a path, or a name looked up in PATH),
/// its arguments, environment overrides and working folder.
package struct ToolCommand: Hashable, Sendable, CustomStringConvertible {
    /// Executable path or name.
    package var executable: String
    /// Arguments (without argv[0]).
    package var arguments: [String]
    /// Variables set on top of the inherited environment (or, when
    /// `inheritsEnvironment` is false, the whole environment).
    package var environment: [String: String]
    /// Working folder; nil keeps the current one.
    package var workingDirectory: String?
    /// Whether the tool starts from this process's environment; false gives it
    /// `environment` alone (a fixed environment, for reproducible output).
    package var inheritsEnvironment: Bool

    /// Describes a command.
    package init(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
                workingDirectory: String? = nil, inheritsEnvironment: Bool = true) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.inheritsEnvironment = inheritsEnvironment
    }

    /// The command line, shell-quoted where needed, with environment overrides first.
    package var description: String {
        let env = environment.keys.sorted().map { "\($0)=" + Self.quote(environment[$0]!) }
        return ((inheritsEnvironment ? [] : ["env", "-i"]) + env + ([executable] + arguments).map(Self.quote))
            .joined(separator: " ")
    }

    static func quote(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What a finished command printed and how it ended.
package struct ToolResult: Equatable, Sendable {
    /// Exit status, or the signal number when `signalled`.
    package var status: Int32
    /// Whether the command was killed by a signal.
    package var signalled: Bool
    /// Everything written to stdout.
    package var standardOutput: Data
    /// Everything written to stderr.
    package var standardError: Data

    /// Makes a result.
    package init(status: Int32 = 0, signalled: Bool = false, standardOutput: Data = Data(), standardError: Data = Data()) {
        self.status = status
        self.signalled = signalled
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// Makes a result from text output.
    package init(status: Int32 = 0, stdout: String = "", stderr: String = "") {
        self.init(status: status, standardOutput: Data(stdout.utf8), standardError: Data(stderr.utf8))
    }

    /// Whether the command succeeded.
    package var succeeded: Bool { status == 0 && !signalled }

    /// stdout as text (invalid UTF-8 repaired).
    package var stdoutText: String { String(decoding: standardOutput, as: UTF8.self) }
    /// stderr as text (invalid UTF-8 repaired).
    package var stderrText: String { String(decoding: standardError, as: UTF8.self) }

    /// The last `lines` lines of stderr then stdout, for error messages.
    package func outputTail(lines: Int = 40) -> String {
        var parts: [String] = []
        for text in [stderrText, stdoutText] where !text.isEmpty {
            let all = text.split(separator: "\n", omittingEmptySubsequences: false)
            let tail = all.suffix(lines)
            parts.append((all.count > lines ? ["[... \(all.count - lines) earlier lines]"] : []).joined() +
                         (all.count > lines ? "\n" : "") + tail.joined(separator: "\n"))
        }
        return parts.joined(separator: "\n")
    }
}

/// Which output stream a chunk of tool output came from.
package enum ToolStream: Sendable { case standardOutput, standardError }

/// Receives tool output as it is produced (e.g. to turn download lines into
/// `StepContext.progress` calls). Called on the runner's thread.
package typealias ToolOutputHandler = @Sendable (ToolStream, Data) -> Void

/// Runs external commands. Implementations: `ProcessToolRunner` (real),
/// `DryRunToolRunner` (prints, runs nothing), `RecordingToolRunner` (scripted).
package protocol ToolRunner: Sendable {
    /// Runs `command` to completion, passing output chunks to `onOutput` as
    /// they arrive. Throws `BuildEngineError.toolFailed` (with the tool's
    /// output tail) on a non-zero exit unless `allowFailure`, and
    /// `BuildEngineError.interrupted` if the build was interrupted.
    func run(_ command: ToolCommand, allowFailure: Bool, onOutput: ToolOutputHandler?) throws -> ToolResult
}

extension ToolRunner {
    /// Runs `command` without streaming its output.
    @discardableResult
    package func run(_ command: ToolCommand, allowFailure: Bool) throws -> ToolResult {
        try run(command, allowFailure: allowFailure, onOutput: nil)
    }

    /// Runs `command`; a non-zero exit throws `BuildEngineError.toolFailed`.
    @discardableResult
    package func run(_ command: ToolCommand) throws -> ToolResult { try run(command, allowFailure: false, onOutput: nil) }

    /// Runs `executable` with `arguments`; a non-zero exit throws.
    @discardableResult
    package func run(_ executable: String, _ arguments: String...) throws -> ToolResult {
        try run(ToolCommand(executable, arguments), allowFailure: false, onOutput: nil)
    }
}

extension ToolResult {
    /// Throws `toolFailed` for a failed result unless `allowFailure`.
    func checked(_ command: ToolCommand, allowFailure: Bool) throws -> ToolResult {
        if succeeded || allowFailure { return self }
        throw BuildEngineError.toolFailed(command: command.description, status: status, signalled: signalled,
                                          outputTail: outputTail())
    }
}
