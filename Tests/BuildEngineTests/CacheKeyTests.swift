// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation
import Testing

/// The graph:  a (a.txt, flags, swiftc version) → c ─┐
///             b (b.txt, config value)  ─────────────┴→ d
/// a's output depends on a.txt and the flags but not on the tool version, so a
/// tool-version change reruns a only (its dependants are cut off early).
struct KeyGraph {
    var flags = ["-Osize"]
    var toolVersion = "6.3.1"
    var configValue = "48000"

    func plan(_ scratch: Scratch, _ counter: RunCounter) -> BuildPlan {
        let src = scratch.source
        let flags = self.flags
        let a = Step(id: "a", description: "Make a", kind: "test-a",
                     inputs: [.file(path: src + "/a.txt", label: "a.txt"), .flags("cc", flags), .toolVersion("swiftc", toolVersion)]) { ctx in
            counter.hit(ctx.step)
            let text = try String(contentsOfFile: src + "/a.txt", encoding: .utf8)
            try Data((text + flags.joined()).utf8).write(to: ctx.outputDirectory.appendingPathComponent("a.out"))
        }
        let value = configValue
        let b = Step(id: "b", description: "Make b", kind: "test-b",
                     inputs: [.file(path: src + "/b.txt", label: "b.txt"), .config("rate", value)]) { ctx in
            counter.hit(ctx.step)
            let text = try String(contentsOfFile: src + "/b.txt", encoding: .utf8)
            try Data((text + value).utf8).write(to: ctx.outputDirectory.appendingPathComponent("b.out"))
        }
        let c = Step(id: "c", description: "Make c", kind: "test-c", inputs: [.output(of: "a")]) { ctx in
            counter.hit(ctx.step)
            let text = try String(contentsOf: ctx.outputDirectory(of: "a").appendingPathComponent("a.out"), encoding: .utf8)
            try Data(String(text.reversed()).utf8).write(to: ctx.outputDirectory.appendingPathComponent("c.out"))
        }
        let d = Step(id: "d", description: "Make d", kind: "test-d", inputs: [.output(of: "b"), .output(of: "c")]) { ctx in
            counter.hit(ctx.step)
            let b = try String(contentsOf: ctx.outputDirectory(of: "b").appendingPathComponent("b.out"), encoding: .utf8)
            let c = try String(contentsOf: ctx.outputDirectory(of: "c").appendingPathComponent("c.out"), encoding: .utf8)
            try Data((b + "|" + c).utf8).write(to: ctx.outputDirectory.appendingPathComponent("d.out"))
        }
        return BuildPlan(steps: [d, c, b, a], exports: [OutputExport(step: "d")])
    }
}

enum InputChange: String, CaseIterable, Sendable {
    case fileContent, flag, toolVersion, dependencyOutput, configValue

    var expectedReruns: [String: Int] {
        switch self {
        case .fileContent: return ["a": 1, "c": 1, "d": 1]
        case .flag: return ["a": 1, "c": 1, "d": 1]
        case .toolVersion: return ["a": 1]
        case .dependencyOutput: return ["b": 1, "d": 1]
        case .configValue: return ["b": 1, "d": 1]
        }
    }

    func apply(to graph: inout KeyGraph, in scratch: Scratch) throws {
        switch self {
        case .fileContent: try scratch.write("src/a.txt", "alpha changed")
        case .flag: graph.flags = ["-O"]
        case .toolVersion: graph.toolVersion = "6.3.2"
        case .dependencyOutput: try scratch.write("src/b.txt", "beta changed")
        case .configValue: graph.configValue = "44100"
        }
    }
}

@Suite("Cache keys")
struct CacheKeyTests {
    func prepared() throws -> (Scratch, RunCounter, KeyGraph) {
        let scratch = Scratch()
        try scratch.write("src/a.txt", "alpha")
        try scratch.write("src/b.txt", "beta")
        return (scratch, RunCounter(), KeyGraph())
    }

    @Test("A cold build runs every step once; a rebuild runs nothing")
    func noOpRebuild() throws {
        let (scratch, counter, graph) = try prepared()
        let first = build(graph.plan(scratch, counter), in: scratch)
        #expect(first.succeeded)
        #expect(counter.take() == ["a": 1, "b": 1, "c": 1, "d": 1])
        let second = build(graph.plan(scratch, counter), in: scratch)
        #expect(second.succeeded)
        #expect(counter.take() == [:])
        #expect(Set(second.stepsCached.map(\.rawValue)) == ["a", "b", "c", "d"])
        #expect(try scratch.read("out/d.out") == "beta48000|" + String("alpha-Osize".reversed()))
        let cOutput = try #require(second.outputs["c"])
        #expect(try String(contentsOf: cOutput.appendingPathComponent("c.out"), encoding: .utf8) == String("alpha-Osize".reversed()))
    }

    @Test("Changing one kind of input reruns exactly the steps that depend on it", arguments: InputChange.allCases)
    func invalidation(change: InputChange) throws {
        var (scratch, counter, graph) = try prepared()
        #expect(build(graph.plan(scratch, counter), in: scratch).succeeded)
        _ = counter.take()
        try change.apply(to: &graph, in: scratch)
        let result = build(graph.plan(scratch, counter), in: scratch)
        #expect(result.succeeded)
        #expect(counter.take() == change.expectedReruns)
    }

    @Test("Reverting an input finds the earlier entry in the cache")
    func revertHitsCache() throws {
        let (scratch, counter, graph) = try prepared()
        build(graph.plan(scratch, counter), in: scratch)
        try scratch.write("src/a.txt", "alpha changed")
        build(graph.plan(scratch, counter), in: scratch)
        _ = counter.take()
        try scratch.write("src/a.txt", "alpha")
        let result = build(graph.plan(scratch, counter), in: scratch)
        #expect(counter.take() == [:])
        #expect(try scratch.read("out/d.out") == "beta48000|" + String("alpha-Osize".reversed()))
        #expect(result.stepsRun.isEmpty)
    }

    @Test("A file input reached through a symlink is keyed on the target's content")
    func symlinkedInput() throws {
        let scratch = Scratch(), counter = RunCounter()
        try scratch.write("src/real.txt", "one")
        try FileManager.default.createSymbolicLink(atPath: scratch.source + "/link.txt", withDestinationPath: "real.txt")
        let plan = BuildPlan(steps: [Step(id: "s", description: "S", kind: "s", inputs: [.file(scratch.source + "/link.txt")]) { ctx in
            counter.hit(ctx.step)
        }])
        build(plan, in: scratch, output: false)
        // Age the target past the racy window so the stat cache would trust a stale entry.
        let old = Date().addingTimeInterval(-60)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: scratch.source + "/real.txt")
        build(plan, in: scratch, output: false)
        try scratch.write("src/real.txt", "two")
        build(plan, in: scratch, output: false)
        #expect(counter.take() == ["s": 2])
    }

    @Test("Tree inputs key on relative paths, contents and executable bits")
    func treeInput() throws {
        let scratch = Scratch()
        try scratch.write("src/tree/x.swift", "let x = 1")
        try scratch.write("src/tree/sub/y.swift", "let y = 2")
        let counter = RunCounter()
        let plan = BuildPlan(steps: [Step(id: "t", description: "Tree", kind: "tree", inputs: [.tree(path: scratch.source + "/tree", label: "tree")]) { ctx in
            counter.hit(ctx.step)
            try Data("ok".utf8).write(to: ctx.outputDirectory.appendingPathComponent("ok"))
        }])
        build(plan, in: scratch, output: false)
        build(plan, in: scratch, output: false)
        #expect(counter.take() == ["t": 1])
        try scratch.write("src/tree/sub/z.swift", "")
        build(plan, in: scratch, output: false)
        #expect(counter.take() == ["t": 1])
        chmod(scratch.source + "/tree/x.swift", 0o755)
        build(plan, in: scratch, output: false)
        #expect(counter.take() == ["t": 1])
        try FileManager.default.moveItem(atPath: scratch.source + "/tree/sub/z.swift", toPath: scratch.source + "/tree/z.swift")
        build(plan, in: scratch, output: false)
        #expect(counter.take() == ["t": 1])
    }
}
