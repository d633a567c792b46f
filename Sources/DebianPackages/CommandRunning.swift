// SPDX-License-Identifier: Apache-2.0
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

/// Runs external commands; the seam the build engine's tool runner plugs into.
public protocol CommandRunning: Sendable {
    /// Runs `command` to completion and returns its output;
    /// throws `DebianPackagesError.commandFailed` on a non-zero exit.
    func run(_ command: Command) throws -> CommandOutput
}

/// Runs commands as child processes with `Foundation.Process`.
public struct ProcessCommandRunner: CommandRunning {
    public init() {}

    public func run(_ command: Command) throws -> CommandOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command.arguments
        if let folder = command.workingDirectory { process.currentDirectoryURL = folder }
        if !command.environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(command.environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw DebianPackagesError.commandFailed(command: command.arguments, status: -1, output: "\(error)")
        }
        // Drain stderr concurrently so neither pipe can fill up and block the child.
        let errorBox = DataBox()
        let reader = Thread { errorBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorBox.wait()
        let stderr = String(decoding: errorBox.data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let text = String(decoding: stdout, as: UTF8.self) + stderr
            throw DebianPackagesError.commandFailed(command: command.arguments,
                                                    status: process.terminationStatus, output: text)
        }
        return CommandOutput(standardOutput: stdout, standardError: stderr)
    }
}

/// Hands the stderr bytes from the reader thread to the waiting caller.
private final class DataBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var stored = Data()
    private var finished = false
    var data: Data {
        get { condition.lock(); defer { condition.unlock() }; return stored }
        set { condition.lock(); stored = newValue; finished = true; condition.broadcast(); condition.unlock() }
    }
    func wait() { condition.lock(); while !finished { condition.wait() }; condition.unlock() }
}

/// Passes commands to another runner and records each one, for tests and `--verbose`.
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
