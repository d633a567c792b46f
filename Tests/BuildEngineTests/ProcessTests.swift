// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation
import Testing

/// Runs `engine-harness` (a real build in a child process) to test what only
/// another process can show: kill -9, SIGINT, and two builds on one cache.
struct Harness {
    let executable: String
    let scratch = Scratch()

    init() throws {
        executable = try #require(productPath("engine-harness"), "engine-harness must be built next to the tests")
        for name in ["alpha", "beta", "gamma", "delta"] { try scratch.write("src/\(name).txt", "\(name) text\n") }
    }

    var expectedCombined: String { ["alpha", "beta", "delta", "gamma"].map { "\($0.uppercased()) TEXT\n" }.joined() }

    /// Starts the harness; its JSON-lines events go to the file `events` (nil: discarded).
    func start(out: String, environment: [String: String] = [:], events: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [scratch.source, scratch.cache, out]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let events {
            try Data().write(to: URL(fileURLWithPath: events))
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: events))
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    /// Waits (bounded) until `path` exists.
    func waitFor(_ path: String, seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(20_000)
        }
        return false
    }

    /// Entries under steps/ whose manifest does not verify (must be none).
    func corruptEntries() throws -> [String] {
        let store = try CacheStore(root: scratch.cache)
        return try store.verifyAll()
    }
}

@Suite("Builds in other processes", .serialized)
struct ProcessTests {
    @Test("kill -9 in the middle of a step, then a normal build: correct output, no corrupt entry", arguments: ["upper/gamma", "combine"])
    func killDuringStep(step: String) throws {
        let harness = try Harness()
        let marker = harness.scratch.path + "/paused"
        let child = try harness.start(out: harness.scratch.out, environment: ["HARNESS_PAUSE_STEP": step, "HARNESS_MARKER": marker])
        #expect(harness.waitFor(marker), "the harness never reached the paused step")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(try harness.corruptEntries() == [])
        let good = try harness.start(out: harness.scratch.out)
        good.waitUntilExit()
        #expect(good.terminationStatus == 0)
        #expect(try harness.scratch.read("out/combined.txt") == harness.expectedCombined)
        #expect(try harness.scratch.read("out/summary.txt") == "\(harness.expectedCombined.utf8.count) bytes\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.scratch.cache + "/tmp").isEmpty)
        #expect(try harness.corruptEntries() == [])
    }

    @Test("SIGINT stops the running tool, exits 130, removes temporaries and keeps the old output")
    func sigint() throws {
        let harness = try Harness()
        let first = try harness.start(out: harness.scratch.out)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        try harness.scratch.write("src/beta.txt", "beta edited\n")
        let marker = harness.scratch.path + "/paused"
        let child = try harness.start(out: harness.scratch.out,
                                      environment: ["HARNESS_PAUSE_STEP": "upper/beta", "HARNESS_MARKER": marker, "HARNESS_PAUSE_TOOL": "1"])
        #expect(harness.waitFor(marker))
        let sent = Date()
        kill(child.processIdentifier, SIGINT)
        child.waitUntilExit()
        #expect(child.terminationStatus == 130)
        #expect(Date().timeIntervalSince(sent) < 20, "the paused `sleep 60` should have been killed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.scratch.cache + "/tmp").isEmpty)
        #expect(try harness.scratch.read("out/combined.txt") == harness.expectedCombined)
        #expect(try harness.corruptEntries() == [])
    }

    @Test("Two builds at once on one cache both succeed with identical outputs, each step run once in all")
    func concurrentBuilds() throws {
        let harness = try Harness()
        let slow = ["HARNESS_STEP_DELAY_MS": "300"]
        let eventsA = harness.scratch.path + "/a.jsonl", eventsB = harness.scratch.path + "/b.jsonl"
        let a = try harness.start(out: harness.scratch.path + "/outA", environment: slow, events: eventsA)
        let b = try harness.start(out: harness.scratch.path + "/outB", environment: slow, events: eventsB)
        a.waitUntilExit()
        b.waitUntilExit()
        #expect(a.terminationStatus == 0)
        #expect(b.terminationStatus == 0)
        for file in ["combined.txt", "summary.txt"] {
            #expect(try harness.scratch.read("outA/" + file) == harness.scratch.read("outB/" + file))
        }
        #expect(try harness.scratch.read("outA/combined.txt") == harness.expectedCombined)
        // The per-key locks make the second build wait and reuse: 6 steps, 6 runs in total.
        var ran: [String] = []
        for events in [eventsA, eventsB] {
            for line in try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                if object["event"] as? String == "step-finish", object["cached"] as? Bool == false {
                    ran.append(try #require(object["step"] as? String))
                }
            }
        }
        #expect(ran.sorted() == ["combine", "summary", "upper/alpha", "upper/beta", "upper/delta", "upper/gamma"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.scratch.cache + "/steps").count == 6)
        #expect(try harness.corruptEntries() == [])
    }
}
