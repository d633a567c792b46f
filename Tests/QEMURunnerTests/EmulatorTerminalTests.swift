// SPDX-License-Identifier: Apache-2.0
import Foundation
import TerminalHarness
import Testing

/// `driverdom run`'s hold on its emulator, checked through a real terminal
/// (tmux) with a scripted emulator run by `emulator-harness`, which runs it as
/// `driverdom run` runs QEMU: what is typed reaches the emulator, every way out
/// restores the terminal, and no way out leaves the emulator running.
@Suite("The emulator in a terminal")
struct EmulatorTerminalTests {
    static let harness = HostProcesses.builtProduct("emulator-harness")
    static let skipReason: String? = {
        if !TmuxTerminal.isAvailable { return "tmux is not installed (Debian: apt-get install tmux)" }
        if harness == nil { return "emulator-harness is not built next to the tests" }
        return nil
    }()

    /// A scripted emulator: says its pid, puts the terminal in raw mode as QEMU does, then runs `body`.
    func emulator(_ body: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fake-emulator-\(UUID().uuidString).sh")
        try """
            #!/bin/sh
            echo "fake-emulator: pid $$"
            stty raw -echo
            \(body)

            """.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A terminal running the harness on `emulator`, then printing its exit status and
    /// the terminal's settings, then sleeping as the terminal's session leader (so the
    /// terminal stays open whatever the harness left, and closing it ends the sleep).
    /// The script runs through /bin/sh: exec'ing a file another test's child may still
    /// hold open for writing fails with ETXTBSY.
    func terminal(running emulator: String) throws -> TmuxTerminal {
        try TmuxTerminal(command: "\(Self.harness!) /bin/sh \(emulator); echo harness-exit=$?; stty -a; exec sleep 600")
    }

    /// The pids of the harness and of the emulator, once the emulator said its pid.
    func pids(in terminal: TmuxTerminal) throws -> (harness: pid_t, emulator: pid_t) {
        let mark = try terminal.waitFor("fake-emulator: pid ", timeout: 30)
        try terminal.waitFor("\n", after: mark, timeout: 10)
        let emulator = pid_t(terminal.text(from: mark).prefix { $0.isNumber }) ?? 0
        let harness = HostProcesses.children(of: try terminal.panePID()).first { $0.name.hasPrefix("emulator-harn") }
        return (try #require(harness).pid, emulator)
    }

    /// Runs `body` with a terminal whose harness runs an emulator that sleeps,
    /// once the emulator said its pid; removes the script and closes the terminal after.
    func withSleepingEmulator(_ body: (TmuxTerminal, _ harness: pid_t, _ emulator: pid_t) throws -> Void) throws {
        let script = try emulator("exec sleep 600")
        defer { try? FileManager.default.removeItem(atPath: script) }
        let terminal = try self.terminal(running: script)
        defer { terminal.close() }
        let (harness, emulator) = try pids(in: terminal)
        #expect(HostProcesses.wait(timeout: 10) { HostProcesses.isRunning(emulator, named: "sleep") })
        try body(terminal, harness, emulator)
    }

    @Test("what is typed reaches the emulator, and the terminal is restored when it ends by itself",
          .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")), .timeLimit(.minutes(25)))
    func typingReachesTheEmulator() throws {
        let script = try emulator("""
            printf 'fake-emulator: type five letters\\r\\n'
            line=$(dd bs=1 count=5 2>/dev/null)
            printf 'fake-emulator: got [%s]\\r\\n' "$line"
            exit 3
            """)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let terminal = try self.terminal(running: script)
        defer { terminal.close() }
        try terminal.waitFor("type five letters", timeout: 30)
        terminal.type("hello")
        try terminal.waitFor("fake-emulator: got [hello]", timeout: 10)
        let mark = try terminal.waitFor("harness-exit=3", timeout: 10)
        #expect(try terminal.showsLineEditing(after: mark), "the emulator's raw mode was left on the terminal")
    }

    @Test("SIGHUP, SIGINT and SIGTERM stop the emulator, restore the terminal and exit 130",
          .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")), .timeLimit(.minutes(25)),
          arguments: [SIGHUP, SIGINT, SIGTERM])
    func signalStopsTheEmulator(signal: Int32) throws {
        try withSleepingEmulator { terminal, harness, emulator in
            kill(harness, signal)
            let mark = try terminal.waitFor("harness-exit=130", timeout: 20)
            #expect(!HostProcesses.isRunning(emulator, named: "sleep"), "the emulator (pid \(emulator)) outlived the run")
            #expect(try terminal.showsLineEditing(after: mark), "the emulator's raw mode was left on the terminal")
        }
    }

    @Test("a run killed with SIGKILL takes its emulator with it (parent-death signal)",
          .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")), .timeLimit(.minutes(25)))
    func parentDeathKillsTheEmulator() throws {
        try withSleepingEmulator { _, harness, emulator in
            kill(harness, SIGKILL)
            #expect(HostProcesses.wait(timeout: 10) { !HostProcesses.isRunning(emulator, named: "sleep") },
                    "the emulator (pid \(emulator)) was orphaned")
        }
    }

    @Test("closing the terminal ends the emulator",
          .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")), .timeLimit(.minutes(25)))
    func hangupEndsTheEmulator() throws {
        try withSleepingEmulator { terminal, _, emulator in
            terminal.close()
            #expect(HostProcesses.wait(timeout: 10) { !HostProcesses.isRunning(emulator, named: "sleep") },
                    "the emulator (pid \(emulator)) outlived its terminal")
        }
    }
}
