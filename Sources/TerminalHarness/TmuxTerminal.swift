// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// Why driving a terminal failed.
package enum TerminalError: Error, CustomStringConvertible {
    /// tmux could not be run or refused a command.
    case tmuxFailed(arguments: [String], status: Int32, output: String)
    /// The expected text did not appear in time.
    case textNotSeen(String, seconds: Double, screen: String)

    package var description: String {
        switch self {
        case let .tmuxFailed(arguments, status, output):
            return "tmux \(arguments.joined(separator: " ")) failed with status \(status): \(output)"
        case let .textNotSeen(text, seconds, screen):
            var lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
            let tail = lines.suffix(40).joined(separator: "\n")
            return "'\(text)' did not appear within \(String(format: "%.0f", seconds)) s; the terminal's last lines:\n\(tail)"
        }
    }
}

/// A terminal a test drives as a person would: a tmux session on a private
/// server (its own socket, no configuration file), one window running a shell
/// command. Keys go in with `send-keys`; what the terminal shows comes back
/// with `capture-pane` over the whole history, wrapped lines joined.
///
///     let terminal = try TmuxTerminal(command: "driverdom run Images/x.yaml")
///     defer { terminal.close() }
///     var mark = try terminal.waitFor("dom0:/# ", timeout: 300)
///     terminal.type("xl list"); terminal.press("Enter")
///     let reply = try terminal.waitFor("dom0:/# ", after: mark, timeout: 30)
package final class TmuxTerminal {
    /// Whether tmux is on PATH.
    package static var isAvailable: Bool { (try? locate()) != nil }

    /// The private server's socket name.
    package let socket: String
    private let tmux: String
    private var socketPath = ""
    private var closed = false

    /// Starts `command` (run by `/bin/sh -c`) in `directory` in a `columns`×`rows` terminal.
    package init(command: String, directory: String = FileManager.default.currentDirectoryPath,
                columns: Int = 200, rows: Int = 50) throws {
        tmux = try Self.locate()
        socket = "driverdom-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        try run(["-f", "/dev/null", "start-server", ";", "set-option", "-g", "history-limit", "200000", ";",
                 "new-session", "-d", "-s", "main", "-x", String(columns), "-y", String(rows), "-c", directory,
                 "/bin/sh", "-c", command])
        socketPath = (try? run(["display-message", "-p", "#{socket_path}"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Types `text` literally (no key names).
    package func type(_ text: String) {
        _ = try? run(["send-keys", "-t", "main", "-l", text])
    }

    /// Presses keys by tmux name: `Enter`, `C-a`, `C-]`, `C-c`.
    package func press(_ keys: String...) {
        _ = try? run(["send-keys", "-t", "main"] + keys)
    }

    /// Everything the terminal showed so far (history and screen), wrapped lines joined.
    package func screen() -> String {
        (try? capture()) ?? ""
    }

    private func capture() throws -> String {
        try run(["capture-pane", "-p", "-J", "-S", "-", "-t", "main"])
    }

    /// The pid of the pane's process (the `/bin/sh -c` running the command).
    package func panePID() throws -> pid_t {
        let text = try run(["display-message", "-p", "-t", "main", "#{pane_pid}"])
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TerminalError.tmuxFailed(arguments: ["display-message"], status: 0, output: text)
        }
        return pid
    }

    /// Waits until `text` appears in ``screen()`` after character offset `mark`;
    /// returns the offset just past it (the mark for the next wait).
    @discardableResult
    package func waitFor(_ text: String, after mark: Int = 0, timeout: Double) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var shown: String
            do { shown = try capture() } catch { shown = "(\(error))" }
            if let found = Self.find(text, in: shown, after: mark) { return found }
            if Date() > deadline { throw TerminalError.textNotSeen(text, seconds: timeout, screen: shown) }
            usleep(250_000)
        }
    }

    /// The text shown between offsets `start` and `end`.
    package func text(from start: Int, to end: Int? = nil) -> String {
        let shown = Array(screen())
        let upper = min(end ?? shown.count, shown.count)
        guard start < upper else { return "" }
        return String(shown[start..<upper])
    }

    /// Whether the `stty -a` output shown after `mark` (waited for) says the terminal
    /// edits lines again (`icanon`, `echo`) — how a command that handed it to a
    /// raw-mode program must leave it.
    package func showsLineEditing(after mark: Int) throws -> Bool {
        try waitFor("werase", after: mark, timeout: 10)
        let words = text(from: mark).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        return words.contains("icanon") && words.contains("echo") && !words.contains("-icanon")
    }

    /// Ends the session (the terminal hangs up) and the private server.
    package func close() {
        guard !closed else { return }
        closed = true
        _ = try? run(["kill-server"])
        // The server leaves its socket behind.
        if !socketPath.isEmpty { unlink(socketPath) }
    }

    deinit { close() }

    /// The offset just past the first `text` at or after `mark` in `shown`, counted in characters.
    static func find(_ text: String, in shown: String, after mark: Int) -> Int? {
        let characters = Array(shown)
        let needle = Array(text)
        guard !needle.isEmpty, characters.count >= needle.count else { return nil }
        var index = max(0, mark)
        while index + needle.count <= characters.count {
            if characters[index..<index + needle.count].elementsEqual(needle) { return index + needle.count }
            index += 1
        }
        return nil
    }

    /// Runs tmux as BuildEngine's `ChildProcess` does every child: signals
    /// unblocked at their default action (test threads block most; a tmux server
    /// started with that mask never sees SIGCHLD and hangs) and no descriptor but
    /// its stdio (a server that kept another test's half-written script open would
    /// make it unrunnable, ETXTBSY). Returns stdout; throws with stderr and stdout.
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let result = try Self.runner.run(ToolCommand(tmux, ["-L", socket] + arguments), allowFailure: true)
        guard result.succeeded else {
            throw TerminalError.tmuxFailed(arguments: arguments, status: result.signalled ? 128 + result.status : result.status,
                                           output: result.stderrText + result.stdoutText)
        }
        return result.stdoutText
    }

    private static let runner = ProcessToolRunner(cancellation: CancellationToken())

    private static func locate() throws -> String {
        guard let path = ExecutableSearch.locate("tmux") else {
            throw TerminalError.tmuxFailed(arguments: [], status: -1, output: "tmux is not on PATH (Debian: apt-get install tmux)")
        }
        return path
    }
}
