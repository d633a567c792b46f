// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
@testable import DomDInit

@Suite("Console formatting and the readiness line")
struct FormattingTests {
    @Test("log lines carry the time since boot like the kernel's", arguments: [
        (UInt64(1_234_567_891), "[    1.234567] init: hello\n"),
        (UInt64(0), "[    0.000000] init: hello\n"),
        (UInt64(98_765_000_001_000), "[98765.000001] init: hello\n"),
    ])
    func logLine(nanoseconds: UInt64, expected: String) {
        #expect(formatLogLine(nanoseconds: nanoseconds, message: "hello") == expected)
    }

    @Test("durations print as seconds with milliseconds")
    func durations() {
        #expect(formatDuration(1_250_000_000) == "1.250 s")
        #expect(formatDuration(5_000_000) == "0.005 s")
    }

    @Test("only a whole line 'ready' counts as ready", arguments: [
        ("ready\n", true), ("ready\r\n", true), ("hello\nready\n", true),
        ("ready", false), ("not ready\n", false), ("readyx\n", false), ("", false),
    ])
    func readyLine(text: String, expected: Bool) {
        #expect(containsReadyLine(Array(text.utf8)) == expected)
    }

    @Test("child statuses describe exit codes and signals")
    func statusText() {
        #expect(ChildStatus.exited(3).description == "exited with status 3")
        #expect(ChildStatus.signaled(11).description == "killed by signal 11 (SIGSEGV)")
    }

    @Test("init options read --table and --role and ignore kernel arguments")
    func options() throws {
        let options = try InitOptions.parse(["console=hvc0", "--table", "/t", "--role", "control"])
        #expect(options == InitOptions(tablePath: "/t", role: .control))
        #expect(throws: InitError.self) { try InitOptions.parse(["--role", "dom0"]) }
        #expect(throws: InitError.self) { try InitOptions.parse(["--table"]) }
    }

    @Test("called as poweroff, halt or reboot the binary asks PID 1 to stop", arguments: [
        ("/sbin/poweroff", InitPersonality.requestPower(.powerOff)), ("halt", .requestPower(.powerOff)),
        ("/sbin/reboot", .requestPower(.restart)), ("/sbin/init", .initProcess),
        ("/usr/sbin/driverdom-init", .initProcess),
    ])
    func personality(name: String, expected: InitPersonality) {
        #expect(InitPersonality.from(programName: name) == expected)
    }
}
