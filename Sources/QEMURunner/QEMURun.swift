// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How to run the emulator.
package struct RunOptions: Sendable {
    /// Give up (and kill the emulator) after this many seconds; nil waits forever.
    package var timeout: Double?
    /// Stop the emulator as soon as the console says the run is over (test mode).
    package var stopWhenDone: Bool
    /// Give the emulator the terminal on stdin (interactive `run`): when this
    /// process is the terminal's foreground job, the emulator's process group
    /// becomes the foreground group, so it reads what is typed; the terminal's
    /// settings, flags and foreground group are restored however the run ends.
    /// Implies ``stopOnSignals``.
    package var interactive: Bool
    /// Stop the emulator and return on SIGINT, SIGTERM or SIGHUP (the outcome
    /// names the signal) instead of dying with the default action.
    package var stopOnSignals: Bool
    /// The emulator program: a name looked up on PATH, or a path.
    package var emulator: String
    /// Presses a machine button when the console asks (`driverdom-test: press
    /// <button>`); returns what it did, printed to the output. Nil ignores the requests.
    package var press: (@Sendable (String) -> String)?

    package init(timeout: Double? = nil, stopWhenDone: Bool = false, interactive: Bool = false,
                stopOnSignals: Bool = false, emulator: String = "qemu-system-aarch64") {
        self.timeout = timeout
        self.stopWhenDone = stopWhenDone
        self.interactive = interactive
        self.stopOnSignals = stopOnSignals
        self.emulator = emulator
    }
}

/// What a run showed.
package struct RunOutcome: Sendable {
    /// What the console said, as recognised lines.
    package var console: ConsoleWatcher
    /// Seconds from start to the end of the run.
    package var elapsed: Double
    /// The emulator's exit status, when it exited by itself.
    package var exitStatus: Int32?
    /// Whether the time limit ended the run.
    package var timedOut: Bool
    /// The signal (SIGINT, SIGTERM, SIGHUP) that ended the run, if one did.
    package var interruption: Int32?

    package init(console: ConsoleWatcher, elapsed: Double, exitStatus: Int32?, timedOut: Bool, interruption: Int32? = nil) {
        self.console = console
        self.elapsed = elapsed
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.interruption = interruption
    }
}

/// Runs an emulator, streams its console through `output` as it arrives, and
/// watches it with a ``ConsoleWatcher``. The emulator runs as BuildEngine's
/// `ChildProcess`, in a process group of its own that the kernel kills when the
/// thread that started it ends (`PR_SET_PDEATHSIG`): it never outlives the run,
/// whether the run ends by itself, by its time limit, by a signal, or by this
/// process dying (even by SIGKILL). Interactive, its group becomes the
/// terminal's foreground group, so it reads what the user types.
package enum QEMURun {
    /// Seconds between SIGTERM and SIGKILL when the emulator is stopped.
    package static let stopGrace = 3.0

    /// Boots `machine` and returns when the emulator exits, the time limit passes,
    /// a trapped signal arrives, or — with `stopWhenDone` — the console announces the end of the run.
    package static func run(
        _ machine: XenMachine, options: RunOptions, output: (String) -> Void
    ) throws(RunError) -> RunOutcome {
        try machine.validate()
        return try run(program: options.emulator, arguments: machine.arguments(), options: options, output: output)
    }

    /// Runs any console program under the same watch (used by tests with a scripted emulator).
    package static func run(
        program: String, arguments: [String], options: RunOptions, output: (String) -> Void
    ) throws(RunError) -> RunOutcome {
        let executable = try locate(program)
        let trap = options.interactive || options.stopOnSignals ? try SignalTrap() : nil
        defer { trap?.remove() }
        var pipe: [Int32] = [-1, -1]
        let pipeError = cpc_pipe(&pipe, 0)
        guard pipeError == 0 else { throw .launchFailed(program: executable.path, reason: "pipe2: \(String(cString: strerror(pipeError)))") }
        defer { close(pipe[0]) }
        let terminal = options.interactive ? TerminalHandover.claim(0) : nil
        // A terminal we may not hand over (we are a background job) is not given to the emulator.
        let nullInput = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if nullInput >= 0 { close(nullInput) } }
        let input = options.interactive && (terminal != nil || isatty(0) == 0) ? 0 : nullInput
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(ToolCommand(executable.path, arguments), input: input, output: pipe[1],
                                             error: pipe[1], foregroundTerminal: terminal?.descriptor,
                                             diesWithParent: true)
        } catch {
            close(pipe[1])
            terminal?.restore()
            guard case .toolLaunchFailed(_, let number) = error else {
                throw .launchFailed(program: executable.path, reason: error.description)
            }
            throw .launchFailed(program: executable.path, reason: String(cString: strerror(number)))
        }
        close(pipe[1])
        var console = ConsoleStream()
        var interruption: Int32?
        var timedOut = false
        var pressed = 0

        readLoop: while true {
            if let limit = options.timeout, console.elapsed > limit {
                timedOut = true
                break
            }
            if options.stopWhenDone, console.watcher.isDone { break }
            var descriptors = [pollfd(fd: pipe[0], events: Int16(POLLIN), revents: 0)]
            if let trap { descriptors.append(pollfd(fd: trap.descriptor, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), 100)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if let trap, let signal = trap.received().first {
                interruption = signal
                break
            }
            if ready == 0 { continue }
            switch console.read(from: pipe[0], output: output) {
            case .data, .wouldBlock: break
            case .endOfFile: break readLoop  // the emulator closed its console
            }
            if let press = options.press {
                while pressed < console.watcher.pressRequests.count {
                    output("\n[driverdom] " + press(console.watcher.pressRequests[pressed]) + "\n")
                    pressed += 1
                }
            }
        }
        stop(process, draining: pipe[0], into: &console, output: output)
        terminal?.restore()
        console.finish()
        let status = timedOut || interruption != nil ? nil : process.exitStatus
        return RunOutcome(console: console.watcher, elapsed: console.elapsed, exitStatus: status, timedOut: timedOut,
                          interruption: interruption)
    }

    /// Ends the emulator if it still runs: SIGTERM to its group, up to
    /// ``stopGrace`` seconds while its last output is read (an emulator blocked
    /// on a full console pipe cannot act on SIGTERM), then SIGKILL; then reaps it.
    static func stop(_ process: ChildProcess, draining descriptor: Int32, into console: inout ConsoleStream,
                     output: (String) -> Void) {
        if !process.hasEnded {
            process.signalGroup(SIGTERM)
            let deadline = Date().addingTimeInterval(stopGrace)
            var open = true
            while !process.hasEnded, Date() < deadline {
                if open {
                    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    if poll(&entry, 1, 20) > 0, case .endOfFile = console.read(from: descriptor, output: output) {
                        open = false
                    }
                } else {
                    usleep(20_000)
                }
            }
            if !process.hasEnded { process.signalGroup(SIGKILL) }
        }
        process.waitForExit()
        // Whatever the group still had buffered.
        while true {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 0) > 0, case .data = console.read(from: descriptor, output: output) else { break }
        }
    }

    /// Finds `program` on PATH unless it is already a path.
    static func locate(_ program: String) throws(RunError) -> URL {
        guard let path = ExecutableSearch.locate(program), FileManager.default.isExecutableFile(atPath: path) else {
            throw .emulatorNotFound(program)
        }
        return URL(fileURLWithPath: path)
    }
}

/// The emulator's console as it arrives: passed on to the caller and cut into
/// lines for the ``ConsoleWatcher``.
struct ConsoleStream {
    /// What one read gave.
    enum ReadResult { case data, wouldBlock, endOfFile }

    private let start = Date()
    private var pending: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 65536)
    private(set) var watcher = ConsoleWatcher()

    /// Seconds since the stream was made (the emulator's start).
    var elapsed: Double { Date().timeIntervalSince(start) }

    /// Reads once from `descriptor`, passes what came to `output` and the watcher.
    mutating func read(from descriptor: Int32, output: (String) -> Void) -> ReadResult {
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 { return errno == EINTR || errno == EAGAIN ? .wouldBlock : .endOfFile }
        if count == 0 { return .endOfFile }
        let bytes = buffer[0..<count]
        output(String(decoding: bytes, as: UTF8.self))
        pending.append(contentsOf: bytes)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            watcher.consume(line, at: elapsed)
        }
        return .data
    }

    /// Hands an unterminated last line to the watcher.
    mutating func finish() {
        guard !pending.isEmpty else { return }
        watcher.consume(String(decoding: pending, as: UTF8.self), at: elapsed)
        pending.removeAll()
    }
}
