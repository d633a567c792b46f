// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How to run the emulator.
public struct RunOptions: Sendable {
    /// Give up (and kill the emulator) after this many seconds; nil waits forever.
    public var timeout: Double?
    /// Stop the emulator as soon as the console says the run is over (test mode).
    public var stopWhenDone: Bool
    /// Connect the terminal's stdin to the emulator (interactive `run`).
    public var interactive: Bool
    /// The emulator program: a name looked up on PATH, or a path.
    public var emulator: String

    public init(timeout: Double? = nil, stopWhenDone: Bool = false, interactive: Bool = false,
                emulator: String = "qemu-system-aarch64") {
        self.timeout = timeout
        self.stopWhenDone = stopWhenDone
        self.interactive = interactive
        self.emulator = emulator
    }
}

/// What a run showed.
public struct RunOutcome: Sendable {
    /// What the console said, as recognised lines.
    public var console: ConsoleWatcher
    /// Seconds from start to the end of the run.
    public var elapsed: Double
    /// The emulator's exit status, when it exited by itself.
    public var exitStatus: Int32?
    /// Whether the time limit ended the run.
    public var timedOut: Bool
}

/// Runs an emulator, streams its console through `output` as it arrives, and
/// watches it with a ``ConsoleWatcher``.
public enum QEMURun {
    /// Boots `machine` and returns when the emulator exits, the time limit passes,
    /// or — with `stopWhenDone` — the console announces the end of the run.
    public static func run(
        _ machine: XenMachine, options: RunOptions, output: (String) -> Void
    ) throws(RunError) -> RunOutcome {
        try machine.validate()
        return try run(program: options.emulator, arguments: machine.arguments(), options: options, output: output)
    }

    /// Runs any console program under the same watch (used by tests with a scripted emulator).
    public static func run(
        program: String, arguments: [String], options: RunOptions, output: (String) -> Void
    ) throws(RunError) -> RunOutcome {
        let executable = try locate(program)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = options.interactive ? FileHandle.standardInput : FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .launchFailed(program: executable.path, reason: "\(error)")
        }
        let start = Date()
        var watcher = ConsoleWatcher()
        var pending = Data()
        var timedOut = false
        let fd = pipe.fileHandleForReading.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 65536)

        func elapsed() -> Double { Date().timeIntervalSince(start) }
        func feed(_ bytes: ArraySlice<UInt8>) {
            output(String(decoding: bytes, as: UTF8.self))
            pending.append(contentsOf: bytes)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                watcher.consume(line, at: elapsed())
            }
        }

        readLoop: while true {
            if let limit = options.timeout, elapsed() > limit {
                timedOut = true
                break
            }
            if options.stopWhenDone, watcher.isDone { break }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break readLoop }  // EOF: the emulator closed its console
            feed(buffer[0..<count])
        }
        if !pending.isEmpty {
            watcher.consume(String(decoding: pending, as: UTF8.self), at: elapsed())
        }
        if process.isRunning {
            stop(process)
        }
        process.waitUntilExit()
        let status: Int32? = (timedOut || process.terminationReason != .exit) ? nil : process.terminationStatus
        return RunOutcome(console: watcher, elapsed: elapsed(), exitStatus: status, timedOut: timedOut)
    }

    /// Terminates the emulator: SIGTERM, a short grace period, then SIGKILL.
    static func stop(_ process: Process) {
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Finds `program` on PATH unless it is already a path.
    static func locate(_ program: String) throws(RunError) -> URL {
        if program.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: program) else { throw .emulatorNotFound(program) }
            return URL(fileURLWithPath: program)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw .emulatorNotFound(program)
    }
}
