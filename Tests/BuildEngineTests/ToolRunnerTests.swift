// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation
import Testing

@Suite("Tool runners")
struct ToolRunnerTests {
    @Test("The real runner captures stdout and stderr separately, in a working folder")
    func captures() throws {
        let scratch = Scratch()
        let runner = ProcessToolRunner(cancellation: CancellationToken())
        let result = try runner.run(ToolCommand("/bin/sh", ["-c", "pwd; echo oops >&2; echo $GREETING"],
                                                environment: ["GREETING": "hello"], workingDirectory: scratch.path))
        let resolved = URL(fileURLWithPath: scratch.path).resolvingSymlinksInPath().path
        #expect(result.stdoutText == resolved + "\nhello\n")
        #expect(result.stderrText == "oops\n")
        #expect(result.succeeded)
    }

    @Test("A command that does not inherit the environment sees only its own variables")
    func fixedEnvironment() throws {
        let runner = ProcessToolRunner(cancellation: CancellationToken())
        let command = ToolCommand("/usr/bin/env", [], environment: ["LC_ALL": "C", "TZ": "UTC"], inheritsEnvironment: false)
        #expect(ProcessInfo.processInfo.environment["PATH"] != nil)
        #expect(try runner.run(command).stdoutText.split(separator: "\n").sorted() == ["LC_ALL=C", "TZ=UTC"])
        #expect(command.description == "env -i LC_ALL=C TZ=UTC /usr/bin/env")
        let inherited = try runner.run(ToolCommand("/usr/bin/env", [], environment: ["TZ": "UTC"])).stdoutText
        #expect(inherited.contains("PATH=") && inherited.contains("TZ=UTC"))
    }

    @Test("A failing tool throws an error carrying its command line, status and own output")
    func failure() throws {
        let runner = ProcessToolRunner(cancellation: CancellationToken())
        let command = ToolCommand("/bin/sh", ["-c", "echo 'main.swift:3:5: error: cannot find x' >&2; exit 3"])
        do {
            try runner.run(command)
            Issue.record("the command should have failed")
        } catch let BuildEngineError.toolFailed(line, status, signalled, tail) {
            #expect(line == "/bin/sh -c 'echo '\\''main.swift:3:5: error: cannot find x'\\'' >&2; exit 3'")
            #expect(status == 3)
            #expect(!signalled)
            #expect(tail.contains("main.swift:3:5: error: cannot find x"))
        }
        let tolerated = try runner.run(command, allowFailure: true)
        #expect(tolerated.status == 3)
    }

    @Test("Output is streamed to the handler as it arrives, per stream")
    func streaming() throws {
        let received = ErrorBox()
        let runner = ProcessToolRunner(cancellation: CancellationToken())
        let result = try runner.run(ToolCommand("/bin/sh", ["-c", "echo Get:1; echo warn >&2; echo Get:2"]), allowFailure: false) { stream, data in
            received.append((stream == .standardOutput ? "out:" : "err:") + String(decoding: data, as: UTF8.self))
        }
        let out = received.lines.filter { $0.hasPrefix("out:") }.map { $0.dropFirst(4) }.joined()
        let err = received.lines.filter { $0.hasPrefix("err:") }.map { $0.dropFirst(4) }.joined()
        #expect(out == "Get:1\nGet:2\n")
        #expect(err == "warn\n")
        #expect(result.stdoutText == out)
    }

    @Test("A missing executable is a launch error")
    func missingTool() throws {
        let runner = ProcessToolRunner(cancellation: CancellationToken())
        #expect(throws: BuildEngineError.toolLaunchFailed(command: "no-such-tool-xyz", errno: ENOENT)) {
            try runner.run("no-such-tool-xyz")
        }
    }

    @Test("Cancelling kills the tool's whole process group promptly")
    func cancelKillsGroup() throws {
        let scratch = Scratch()
        let token = CancellationToken()
        let runner = ProcessToolRunner(cancellation: token, killGrace: 1)
        let marker = scratch.path + "/started"
        // The shell starts a grandchild `sleep`; both must die.
        let command = ToolCommand("/bin/sh", ["-c", "sleep 30 & echo $! > \(marker).pid; touch \(marker); wait"])
        let done = DispatchSemaphore(value: 0)
        let outcome = ErrorBox()
        Thread.detachNewThread {
            do { try runner.run(command) } catch { outcome.set(error) }
            done.signal()
        }
        // Wait (bounded) for the tool to report it started, then interrupt.
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(10_000) }
        token.cancel()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(outcome.get() as? BuildEngineError == .interrupted)
        let pid = try #require(Int32(try String(contentsOfFile: marker + ".pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // The grandchild is gone (or a zombie reaped by init) once the group was killed.
        var alive = kill(pid, 0) == 0
        let reapDeadline = Date().addingTimeInterval(5)
        while alive && Date() < reapDeadline { usleep(20_000); alive = kill(pid, 0) == 0 && !isZombie(pid) }
        #expect(!alive)
    }

    @Test("A tool starts clean: no signal blocked or ignored, no descriptor but its stdio, its own process group")
    func cleanStart() throws {
        let scratch = Scratch()
        // A descriptor without close-on-exec and a blocked and an ignored signal in the caller.
        let leaked = open(scratch.path + "/leak", O_CREAT | O_WRONLY, 0o600)
        #expect(leaked > 2)
        defer { close(leaked) }
        var block = sigset_t(), previous = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGCHLD)
        pthread_sigmask(SIG_BLOCK, &block, &previous)
        let oldUSR1 = signal(SIGUSR1, SIG_IGN)
        defer {
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            signal(SIGUSR1, oldUSR1)
        }
        let runner = ProcessToolRunner(cancellation: CancellationToken())
        let script = "grep -E '^Sig(Blk|Ign):' /proc/self/status; ls /proc/self/fd; cut -d' ' -f5 /proc/self/stat; echo $$"
        let lines = try runner.run(ToolCommand("/bin/sh", ["-c", "exec /bin/sh -c \"\(script)\""])).stdoutText
            .split(separator: "\n").map(String.init)
        try #require(lines.count >= 4)
        #expect(lines[0].hasSuffix("0000000000000000"), "blocked: \(lines[0])")
        #expect(lines[1].hasSuffix("0000000000000000"), "ignored: \(lines[1])")
        // 0, 1, 2 and the one `ls` opened to list the folder.
        #expect(lines.dropFirst(2).dropLast(2).count == 4, "descriptors: \(lines)")
        #expect(lines[lines.count - 2] == lines[lines.count - 1], "process group \(lines[lines.count - 2]), pid \(lines.last!)")
    }

    @Test("The dry-run runner records and prints commands and runs nothing")
    func dryRun() throws {
        let scratch = Scratch()
        let printed = ErrorBox()
        let runner = DryRunToolRunner(print: { printed.append($0) })
        try runner.run(ToolCommand("touch", [scratch.path + "/should-not-exist"]))
        #expect(runner.commands.map(\.executable) == ["touch"])
        #expect(printed.lines == ["touch " + scratch.path + "/should-not-exist"])
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/should-not-exist"))
    }

    @Test("The recording runner answers from its script and fails like the real one")
    func recording() throws {
        let runner = RecordingToolRunner(results: [ToolResult(stdout: "6.3.1"), ToolResult(status: 1, stderr: "boom")])
        #expect(try runner.run("swiftc", "--version").stdoutText == "6.3.1")
        #expect(throws: BuildEngineError.toolFailed(command: "cc -c x.c", status: 1, signalled: false, outputTail: "boom")) {
            try runner.run("cc", "-c", "x.c")
        }
        #expect(throws: BuildEngineError.scriptExhausted(command: "ld")) { try runner.run("ld") }
        #expect(runner.commands.map(\.executable) == ["swiftc", "cc", "ld"])
    }

    @Test("A failing tool inside a step fails the build with the tool's output, and later steps do not start")
    func failingStep() throws {
        let scratch = Scratch(), counter = RunCounter()
        let compile = Step(id: "compile", description: "Compile", kind: "c", inputs: []) { ctx in
            try ctx.tools.run(ToolCommand("/bin/sh", ["-c", "echo 'sndif.swift:10:1: error: expected expression' >&2; exit 1"]))
        }
        let stage = Step(id: "stage", description: "Stage", kind: "s", inputs: [.output(of: "compile")]) { ctx in counter.hit(ctx.step) }
        let reporter = RecordingReporter()
        let result = build(BuildPlan(steps: [compile, stage]), in: scratch, tools: ProcessToolRunner(cancellation: CancellationToken()),
                           reporter: reporter)
        #expect(result.failedStep == "compile")
        #expect(result.exitCode == 1)
        #expect(result.failure?.description.contains("sndif.swift:10:1: error: expected expression") == true)
        #expect(counter.take() == [:])
        let failures = reporter.events.compactMap { event -> StepID? in
            if case .stepFailed(let step, _, _) = event { return step } else { return nil }
        }
        #expect(failures == ["compile"])
    }
}

func isZombie(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    return stat[stat.index(close, offsetBy: 2)] == "Z"
}

/// A thread-safe box for values produced on other threads.
// @unchecked Sendable: `error` and `printed` are read and written only under `lock`.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    private var printed: [String] = []
    func set(_ error: Error) { lock.lock(); self.error = error; lock.unlock() }
    func get() -> Error? { lock.lock(); defer { lock.unlock() }; return error }
    func append(_ line: String) { lock.lock(); printed.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return printed }
}
