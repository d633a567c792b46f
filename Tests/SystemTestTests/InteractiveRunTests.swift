// SPDX-License-Identifier: Apache-2.0
import Foundation
import SystemTest
import TerminalHarness
import Testing

extension EndToEndTests {
    /// `driverdom run` of the default image driven as a person would, through a
    /// terminal (tmux): type at dom0's prompt, attach to the guest, leave, power
    /// off; and hang up mid-boot. Nested in the end-to-end suite, so its QEMU
    /// boots never share the two cores with another.
    @Suite("driverdom run in a terminal")
    struct InteractiveRunTests {
        static let driverdom = HostProcesses.builtProduct("driverdom")
        static let skipReason: String? = {
            if let reason = EndToEndTests.skipReason { return reason }
            if !TmuxTerminal.isAvailable { return "tmux is not installed (Debian: apt-get install tmux)" }
            if driverdom == nil { return "the driverdom executable is not built next to the tests" }
            return nil
        }()

        /// Builds the default image into a fresh output folder, runs `driverdom run` on it in a
        /// terminal (then its exit status, the terminal's settings, a wait for a line), and calls
        /// `body` once QEMU starts, with the offset just past that line; cleans up after.
        static func withRun(_ name: String, _ body: (TmuxTerminal, _ started: Int) throws -> Void) throws {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-\(name)-\(getpid())")
            defer { try? FileManager.default.removeItem(at: output) }
            guard try EndToEndTests.buildDefaultImage(into: output) != nil else { return }
            let terminal = try TmuxTerminal(command: "\(driverdom!) run \(EndToEndTests.imagePath) --out \(output.path); "
                                            + "echo driverdom-exit=$?; stty -a; read line",
                                            directory: EndToEndTests.repository.path)
            defer { terminal.close() }
            // Cross-compiling the probes is slow only the first time.
            try body(terminal, try terminal.waitFor("driverdom: starting QEMU", timeout: 900))
        }

        @Test("a person boots the default image, lists the domains, attaches to DomU, sees its PV devices, leaves with Ctrl-] and powers off",
              .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")), .timeLimit(.minutes(25)))
        func interactiveSession() throws {
            try Self.withRun("run") { terminal, started in
                try Self.talk(to: terminal, started: started)
            }
        }

        /// What a person does once QEMU started: wait for DomU, list the domains, attach to
        /// DomU and look at its devices, come back, power off.
        static func talk(to terminal: TmuxTerminal, started: Int) throws {
            let dom0 = SessionScripts.dom0Prompt
            var mark = started
            // Preparing the session showed its steps.
            #expect(terminal.text(from: 0, to: mark).contains("assemble dom0's initramfs for the interactive session"))

            // dom0 says when DomU is up, with its PV devices and how to attach, then gives its shell.
            mark = try terminal.waitFor("driverdom: guest DomU is up", after: mark, timeout: 480)
            let prompt = try terminal.waitFor(dom0, after: mark, timeout: 120)
            let announcement = terminal.text(from: mark, to: prompt)
            #expect(announcement.contains("/dev/input/event0"), Comment(rawValue: announcement))
            #expect(announcement.contains("xl console DomU"), Comment(rawValue: announcement))
            mark = prompt

            terminal.type("xl list")
            terminal.press("Enter")
            let listed = try terminal.waitFor(dom0, after: mark, timeout: 60)
            let names = terminal.text(from: mark, to: listed).split(separator: "\n")
                .compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(names.contains("Domain-0") && names.contains("DomD") && names.contains("DomU"),
                    "xl list showed: \(names)")
            mark = listed

            // Attach to DomU's console; its shell answers Enter with its prompt.
            terminal.type("xl console DomU")
            terminal.press("Enter")
            var guestPrompt: Int?
            for _ in 0..<20 where guestPrompt == nil {
                terminal.press("Enter")
                guestPrompt = try? terminal.waitFor("DomU:/# ", after: mark, timeout: 3)
            }
            mark = try #require(guestPrompt, "DomU's prompt never appeared after xl console DomU")
            // The end marker is computed by the guest's shell, so the typed line does not match it.
            terminal.type("ls /dev/input/; cat /proc/asound/cards; echo devices-$((6*7))-listed")
            terminal.press("Enter")
            let shown = try terminal.waitFor("devices-42-listed", after: mark, timeout: 60)
            let devices = terminal.text(from: mark, to: shown)
            #expect(devices.contains("event0") && devices.contains("event1"), Comment(rawValue: devices))
            #expect(devices.contains("vsnd"), Comment(rawValue: devices))
            mark = shown

            // Ctrl-] leaves the guest's console for dom0's shell; poweroff ends the session.
            terminal.press("C-]")
            mark = try terminal.waitFor(dom0, after: mark, timeout: 30)
            terminal.type("poweroff")
            terminal.press("Enter")
            mark = try terminal.waitFor("driverdom-exit=", after: mark, timeout: 180)
            #expect(terminal.text(from: mark).hasPrefix("0"), "driverdom run did not exit 0")
            #expect(try terminal.showsLineEditing(after: mark), "QEMU's raw mode was left on the terminal")
        }

        @Test("SIGHUP to driverdom run mid-boot ends it with 130, restores the terminal and leaves no qemu-system-aarch64 behind",
              .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")), .timeLimit(.minutes(25)))
        func hangupMidBoot() throws {
            try Self.withRun("hangup") { terminal, started in
                try Self.hangUp(terminal, started: started)
            }
        }

        /// SIGHUP to `driverdom run` once dom0's kernel boots; checks what is left.
        static func hangUp(_ terminal: TmuxTerminal, started: Int) throws {
            var mark = try terminal.waitFor("Booting Linux", after: started, timeout: 120)
            let run = try #require(HostProcesses.children(of: try terminal.panePID()).first { $0.name == "driverdom" })
            let emulators = HostProcesses.children(of: run.pid).filter { $0.name.hasPrefix("qemu-system") }
            #expect(emulators.count == 1, "driverdom run's children: \(HostProcesses.children(of: run.pid))")

            kill(run.pid, SIGHUP)
            mark = try terminal.waitFor("driverdom-exit=", after: mark, timeout: 30)
            #expect(terminal.text(from: mark).hasPrefix("130"), "driverdom run did not exit 130")
            for emulator in emulators {
                #expect(!HostProcesses.isRunning(emulator.pid, named: "qemu-system-aarch64"),
                        "qemu-system-aarch64 (pid \(emulator.pid)) outlived driverdom run")
            }
            #expect(try terminal.showsLineEditing(after: mark), "QEMU's raw mode was left on the terminal")
        }
    }
}
