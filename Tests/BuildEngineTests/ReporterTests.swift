// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation
import Testing

// @unchecked Sendable: `chunks` is read and written only under `lock`.
final class TextCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [String] = []
    func sink(terminal: Bool = false) -> TextSink {
        TextSink(isTerminal: terminal) { text in self.lock.lock(); self.chunks.append(text); self.lock.unlock() }
    }
    var text: String { lock.lock(); defer { lock.unlock() }; return chunks.joined() }
}

@Suite("Progress reporting")
struct ReporterTests {
    func twoSteps(fail: Bool = false) -> BuildPlan {
        let fetch = Step(id: "fetch", description: "Fetch packages", kind: "f", inputs: []) { ctx in
            ctx.progress(done: 50, total: 100)
            ctx.progress(done: 100, total: 100)
            try Data("deb".utf8).write(to: ctx.outputDirectory.appendingPathComponent("x.deb"))
        }
        let compile = Step(id: "compile", description: "Compile sndif", kind: "c", inputs: [.output(of: "fetch"), .value(name: "fail", value: "\(fail)")]) { ctx in
            try ctx.tools.run(ToolCommand("swiftc", ["-c", "main.swift"]))
        }
        return BuildPlan(steps: [fetch, compile])
    }

    @Test("Human output: one line per step with [n/m], time or 'cached'")
    func human() throws {
        let scratch = Scratch()
        let first = TextCollector()
        build(twoSteps(), in: scratch, reporter: HumanReporter(sink: first.sink()), output: false)
        let lines = first.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].range(of: #"^\[1/2\] Fetch packages … \d+\.\d s$"#, options: .regularExpression) != nil)
        #expect(lines[1].range(of: #"^\[2/2\] Compile sndif … \d+\.\d s$"#, options: .regularExpression) != nil)
        #expect(lines[2].hasPrefix("Build succeeded: 2 run, 0 cached"))
        let second = TextCollector()
        build(twoSteps(), in: scratch, reporter: HumanReporter(sink: second.sink()), output: false)
        #expect(second.text.hasPrefix("[1/2] Fetch packages … cached\n[2/2] Compile sndif … cached\n"))
    }

    @Test("The result and the summary line carry the build's wall time")
    func summaryCarriesElapsedTime() throws {
        let scratch = Scratch()
        let slow = Step(id: "slow", description: "Wait a little", kind: "w", inputs: [.config("n", "1")]) { ctx in
            usleep(60_000)
            try Data("done".utf8).write(to: ctx.outputDirectory.appendingPathComponent("slow.out"))
        }
        let result = build(BuildPlan(steps: [slow]), in: scratch, output: false)
        #expect(result.succeeded)
        #expect(result.seconds >= 0.06)
        #expect(HumanReporter.summary(result) == String(format: "Build succeeded: 1 run, 0 cached, %.1f s.", result.seconds))
    }

    @Test("Progress bars are drawn on a terminal only")
    func progressBar() throws {
        let plain = TextCollector(), terminal = TextCollector()
        build(twoSteps(), in: Scratch(), reporter: HumanReporter(sink: plain.sink()), output: false)
        build(twoSteps(), in: Scratch(), reporter: HumanReporter(sink: terminal.sink(terminal: true)), output: false)
        #expect(!plain.text.contains("%"))
        #expect(terminal.text.contains("[1/2] Fetch packages [########################] 100%"))
    }

    @Test("Verbose output shows command lines and the failing tool's full output; quiet shows only the failure")
    func verboseAndQuiet() throws {
        let tools = RecordingToolRunner(script: { _ in ToolResult(status: 1, stdout: "partial", stderr: "main.swift:1:1: error: boom") })
        let verbose = TextCollector(), quiet = TextCollector()
        build(twoSteps(), in: Scratch(), tools: tools, reporter: HumanReporter(sink: verbose.sink(), verbosity: .verbose), output: false)
        build(twoSteps(), in: Scratch(), tools: tools, reporter: QuietReporter(sink: quiet.sink()), output: false)
        #expect(verbose.text.contains("  $ swiftc -c main.swift\n"))
        #expect(verbose.text.contains("--- stdout ---\npartial"))
        #expect(verbose.text.contains("[2/2] Compile sndif … FAILED\nCommand swiftc -c main.swift exited with status 1."))
        #expect(!quiet.text.contains("Fetch packages"))
        #expect(quiet.text.contains("main.swift:1:1: error: boom"))
    }

    @Test("JSON lines: one parseable object per event")
    func jsonLines() throws {
        let scratch = Scratch()
        let collector = TextCollector()
        build(twoSteps(), in: scratch, reporter: JSONLinesReporter(sink: collector.sink()), output: false)
        let second = TextCollector()
        build(twoSteps(), in: scratch, reporter: JSONLinesReporter(sink: second.sink()), output: false)
        func objects(_ text: String) throws -> [[String: Any]] {
            try text.split(separator: "\n").map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
        let events = try objects(collector.text)
        #expect(events.map { $0["event"] as? String } == ["build-start", "step-start", "progress", "progress", "step-finish",
                                                            "step-start", "tool-start", "tool-finish", "step-finish", "build-finish"])
        #expect(events[4]["cached"] as? Bool == false)
        #expect(events[4]["duration"] is Double)
        #expect(events[2]["done"] as? Int == 50)
        let cached = try objects(second.text).filter { $0["event"] as? String == "step-finish" }
        #expect(cached.map { $0["cached"] as? Bool } == [true, true])
        let failing = TextCollector()
        let tools = RecordingToolRunner(script: { _ in ToolResult(status: 2, stderr: "ld: undefined symbol") })
        build(twoSteps(fail: true), in: scratch, tools: tools, reporter: JSONLinesReporter(sink: failing.sink()), output: false)
        let error = try #require(try objects(failing.text).first { $0["event"] as? String == "error" })
        #expect(error["step"] as? String == "compile")
        #expect((error["message"] as? String)?.contains("ld: undefined symbol") == true)
        let finish = try #require(try objects(failing.text).last)
        #expect(finish["exit_code"] as? Int == 1)
        #expect(finish["failed_step"] as? String == "compile")
    }
}

@Suite("Build plans and scheduling")
struct PlanTests {
    func step(_ id: StepID, after deps: [StepID] = [], body: @escaping @Sendable (StepContext) throws -> Void = { _ in }) -> Step {
        Step(id: id, description: id.rawValue, kind: "k", inputs: deps.map { .output(of: $0) } + [.value(name: "id", value: id.rawValue)], action: body)
    }

    @Test("Invalid plans are rejected with the offending ids")
    func invalidPlans() throws {
        #expect(throws: BuildEngineError.planHasDuplicateStep(id: "a")) { try BuildPlan(steps: [step("a"), step("a")]).orderedSteps() }
        #expect(throws: BuildEngineError.planHasUnknownDependency(step: "b", dependency: "x")) {
            try BuildPlan(steps: [step("b", after: ["x"])]).orderedSteps()
        }
        #expect(throws: BuildEngineError.planHasCycle(steps: ["a", "b", "a"])) {
            try BuildPlan(steps: [step("a", after: ["b"]), step("b", after: ["a"])]).orderedSteps()
        }
        let result = build(BuildPlan(steps: [step("a", after: ["a"])]), in: Scratch())
        #expect(result.failure == .planHasCycle(steps: ["a", "a"]))
    }

    @Test("Independent steps run in parallel up to --jobs, never more", arguments: [1, 2, 4])
    func parallelism(jobs: Int) throws {
        let gauge = Gauge()
        let steps = (0..<8).map { index in
            step(StepID("s\(index)")) { _ in
                gauge.enter()
                // Hold the slot until enough steps have entered or a bound elapses.
                let deadline = Date().addingTimeInterval(2)
                while gauge.current < min(jobs, 8) && Date() < deadline { usleep(1_000) }
                gauge.leave()
            }
        }
        let result = build(BuildPlan(steps: steps), in: Scratch(), jobs: jobs, output: false)
        #expect(result.succeeded)
        #expect(gauge.maximum == jobs)
    }

    @Test("Dependencies finish before their dependants start")
    func ordering() throws {
        let log = ErrorBox()
        let plan = BuildPlan(steps: [
            step("c", after: ["a", "b"]) { _ in log.append("c") },
            step("a") { _ in log.append("a") },
            step("b", after: ["a"]) { _ in log.append("b") },
        ])
        #expect(build(plan, in: Scratch(), jobs: 4, output: false).succeeded)
        #expect(log.lines == ["a", "b", "c"])
    }

    @Test("A failure stops scheduling: steps not yet started never run")
    func failureStops() throws {
        let counter = RunCounter()
        let plan = BuildPlan(steps: [
            step("bad") { _ in throw BuildEngineError.stepActionFailed(step: "bad", message: "x") },
            step("later", after: ["bad"]) { ctx in counter.hit(ctx.step) },
            step("independent-after") { ctx in counter.hit(ctx.step) },
        ])
        let result = build(plan, in: Scratch(), jobs: 1, output: false)
        #expect(result.failedStep == "bad")
        #expect(counter.take() == [:])
    }
}

// @unchecked Sendable: `now` and `peak` are read and written only under `lock`.
final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0, peak = 0
    func enter() { lock.lock(); now += 1; peak = max(peak, now); lock.unlock() }
    func leave() { lock.lock(); now -= 1; lock.unlock() }
    var current: Int { lock.lock(); defer { lock.unlock() }; return now }
    var maximum: Int { lock.lock(); defer { lock.unlock() }; return peak }
}
