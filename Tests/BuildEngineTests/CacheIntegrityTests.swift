// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation
import Testing

@Suite("Cache integrity")
struct CacheIntegrityTests {
    func singleStep(_ scratch: Scratch, _ counter: RunCounter) -> BuildPlan {
        BuildPlan(steps: [Step(id: "gen", description: "Generate", kind: "gen", inputs: [.value(name: "n", value: "1")]) { ctx in
            counter.hit(ctx.step)
            try Data("generated content".utf8).write(to: ctx.outputDirectory.appendingPathComponent("g.txt"))
            try FileManager.default.createSymbolicLink(atPath: ctx.outputDirectory.path + "/link", withDestinationPath: "g.txt")
        }], exports: [OutputExport(step: "gen")])
    }

    func entryFolder(_ scratch: Scratch, _ result: BuildResult) throws -> String {
        let key = try #require(result.keys["gen"])
        return scratch.cache + "/steps/" + key
    }

    @Test("An entry whose file size changed is discarded and rebuilt")
    func truncatedEntry() throws {
        let scratch = Scratch(), counter = RunCounter()
        let first = build(singleStep(scratch, counter), in: scratch)
        try Data("short".utf8).write(to: URL(fileURLWithPath: try entryFolder(scratch, first) + "/out/g.txt"))
        let second = build(singleStep(scratch, counter), in: scratch)
        #expect(counter.take() == ["gen": 2])
        #expect(second.stepsRun == ["gen"])
        #expect(try String(contentsOfFile: try entryFolder(scratch, second) + "/out/g.txt", encoding: .utf8) == "generated content")
    }

    @Test("Same-size corruption is caught by full verification, not by the size check")
    func sameSizeCorruption() throws {
        let scratch = Scratch(), counter = RunCounter()
        let first = build(singleStep(scratch, counter), in: scratch)
        try Data("GENERATED CONTENT".utf8).write(to: URL(fileURLWithPath: try entryFolder(scratch, first) + "/out/g.txt"))
        build(singleStep(scratch, counter), in: scratch, output: false)
        #expect(counter.take() == ["gen": 1])
        build(singleStep(scratch, counter), in: scratch, verification: .full)
        #expect(counter.take() == ["gen": 1])
        #expect(try scratch.read("out/g.txt") == "generated content")
    }

    @Test("An entry without a manifest, or with an extra file, is not used", arguments: ["remove-manifest", "extra-file", "retarget-link"])
    func damagedEntry(damage: String) throws {
        let scratch = Scratch(), counter = RunCounter()
        let first = build(singleStep(scratch, counter), in: scratch)
        let folder = try entryFolder(scratch, first)
        switch damage {
        case "remove-manifest": try FileManager.default.removeItem(atPath: folder + "/manifest.json")
        case "extra-file": try Data().write(to: URL(fileURLWithPath: folder + "/out/stray"))
        default:
            try FileManager.default.removeItem(atPath: folder + "/out/link")
            try FileManager.default.createSymbolicLink(atPath: folder + "/out/link", withDestinationPath: "other")
        }
        build(singleStep(scratch, counter), in: scratch)
        #expect(counter.take() == ["gen": 2])
        #expect(FileManager.default.fileExists(atPath: folder + "/manifest.json"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/stray"))
    }

    @Test("verifyAll finds and discards a corrupted entry")
    func verifyAll() throws {
        let scratch = Scratch(), counter = RunCounter()
        let first = build(singleStep(scratch, counter), in: scratch)
        let store = try CacheStore(root: scratch.cache)
        #expect(try store.verifyAll() == [])
        try Data("GENERATED CONTENT".utf8).write(to: URL(fileURLWithPath: try entryFolder(scratch, first) + "/out/g.txt"))
        #expect(try store.verifyAll() == [try #require(first.keys["gen"])])
        #expect(!FileManager.default.fileExists(atPath: try entryFolder(scratch, first)))
    }

    @Test("A failing step leaves no entry and no temporary folder behind")
    func failedStepLeavesNothing() throws {
        let scratch = Scratch()
        let plan = BuildPlan(steps: [Step(id: "bad", description: "Fail", kind: "bad", inputs: []) { ctx in
            try Data("partial".utf8).write(to: ctx.outputDirectory.appendingPathComponent("p"))
            throw CocoaError(.fileWriteUnknown)
        }])
        let result = build(plan, in: scratch)
        #expect(result.failedStep == "bad")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.cache + "/steps").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.cache + "/tmp").isEmpty)
    }

    @Test("An input edited while its step runs fails the step and stores nothing")
    func inputEditedDuringStep() throws {
        let scratch = Scratch()
        try scratch.write("src/main.swift", "v1")
        let source = scratch.source + "/main.swift"
        let plan = BuildPlan(steps: [Step(id: "compile", description: "Compile", kind: "c", inputs: [.file(source)]) { ctx in
            try Data("binary".utf8).write(to: ctx.outputDirectory.appendingPathComponent("app"))
            try Data("v2 edited meanwhile".utf8).write(to: URL(fileURLWithPath: source))
        }])
        let result = build(plan, in: scratch)
        #expect(result.failure == .inputChangedDuringStep(step: "compile", path: source))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.cache + "/steps").isEmpty)
    }

    @Test("A build waiting for another process's key lock waits, and stops when interrupted")
    func interruptWhileWaitingForKeyLock() throws {
        let scratch = Scratch(), counter = RunCounter()
        let first = build(singleStep(scratch, counter), in: scratch)
        let key = try #require(first.keys["gen"])
        try FileManager.default.removeItem(atPath: scratch.cache + "/steps/" + key)
        let holder = try FileLock(path: scratch.cache + "/locks/" + key + ".lock")
        try holder.lockExclusive()
        let token = CancellationToken(), reporter = RecordingReporter()
        let finished = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let plan = singleStep(scratch, counter)
        Thread.detachNewThread {
            box.result = BuildEngine.run(plan, options: BuildOptions(cacheDirectory: scratch.cache, tools: RecordingToolRunner(),
                                                                      reporter: reporter, cancellation: token))
            finished.signal()
        }
        let deadline = Date().addingTimeInterval(20)
        while !reporter.events.contains(where: { if case .stepStarted = $0 { return true } else { return false } }) && Date() < deadline {
            usleep(10_000)
        }
        // Still blocked on the lock: not finished while the other holder keeps it.
        #expect(finished.wait(timeout: .now() + 0.3) == .timedOut)
        token.cancel()
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(box.result?.exitCode == 130)
        #expect(counter.take() == ["gen": 1])
        holder.unlock()
    }

    @Test("clean removes output and temporaries; clean --cache removes the cache")
    func clean() throws {
        let scratch = Scratch(), counter = RunCounter()
        build(singleStep(scratch, counter), in: scratch)
        try FileManager.default.createDirectory(atPath: scratch.cache + "/tmp/leftover", withIntermediateDirectories: true)
        try BuildEngine.clean(outputDirectory: scratch.out, cacheDirectory: scratch.cache, includingCache: false)
        #expect(!FileManager.default.fileExists(atPath: scratch.out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.cache + "/tmp").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.cache + "/steps").count == 1)
        try BuildEngine.clean(outputDirectory: scratch.out, cacheDirectory: scratch.cache, includingCache: true)
        #expect(!FileManager.default.fileExists(atPath: scratch.cache + "/steps"))
        build(singleStep(scratch, counter), in: scratch)
        #expect(counter.take() == ["gen": 2])
    }

    @Test("clean --cache refuses while a build holds the cache")
    func cleanWhileBusy() throws {
        let scratch = Scratch()
        let store = try CacheStore(root: scratch.cache)
        try store.beginUse()
        defer { store.endUse() }
        #expect(throws: BuildEngineError.cacheBusy(path: scratch.cache)) {
            try BuildEngine.clean(outputDirectory: nil, cacheDirectory: scratch.cache, includingCache: true)
        }
    }
}

// @unchecked Sendable: `stored` is read and written only under `lock`.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: BuildResult?
    var result: BuildResult? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
