// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation
import Testing

/// compile (source file) → stage → image; `compile` can be forced.
// @unchecked Sendable: `extraOutput` is read and written only under `lock`;
// `counter` is itself locked.
final class LayerGraph: @unchecked Sendable {
    let counter = RunCounter()
    let lock = NSLock()
    var extraOutput = ""

    func plan(_ scratch: Scratch) -> BuildPlan {
        let src = scratch.source
        let compile = Step(id: "compile", description: "Compile", kind: "compile", inputs: [.file(path: src + "/main.swift", label: "main.swift")]) { ctx in
            self.counter.hit(ctx.step)
            self.lock.lock(); let extra = self.extraOutput; self.lock.unlock()
            let text = try String(contentsOfFile: src + "/main.swift", encoding: .utf8)
            try Data(("binary of " + text + extra).utf8).write(to: ctx.outputDirectory.appendingPathComponent("app"))
        }
        let stage = Step(id: "stage", description: "Stage", kind: "stage", inputs: [.output(of: "compile")]) { ctx in
            self.counter.hit(ctx.step)
            try FileManager.default.createDirectory(at: ctx.outputDirectory.appendingPathComponent("usr/bin"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: ctx.outputDirectory(of: "compile").appendingPathComponent("app"),
                                             to: ctx.outputDirectory.appendingPathComponent("usr/bin/app"))
        }
        let image = Step(id: "image", description: "Image", kind: "image", inputs: [.output(of: "stage")]) { ctx in
            self.counter.hit(ctx.step)
            let app = try Data(contentsOf: ctx.outputDirectory(of: "stage").appendingPathComponent("usr/bin/app"))
            try (Data("IMG".utf8) + app).write(to: ctx.outputDirectory.appendingPathComponent("image.img"))
        }
        return BuildPlan(steps: [compile, stage, image], exports: [OutputExport(step: "image")])
    }
}

@Suite("Forced steps and early cutoff")
struct ForcedStepTests {
    @Test("A forced step with unchanged output reruns alone; its dependants stay cached")
    func forcedUnchanged() throws {
        let scratch = Scratch(), graph = LayerGraph()
        try scratch.write("src/main.swift", "print(1)")
        #expect(build(graph.plan(scratch), in: scratch).succeeded)
        _ = graph.counter.take()
        let result = build(graph.plan(scratch), in: scratch, forced: ["compile"])
        #expect(graph.counter.take() == ["compile": 1])
        #expect(result.outcomes["compile"].map { if case .ran(_, let changed) = $0 { return changed } else { return true } } == false)
        #expect(Set(result.stepsCached) == ["stage", "image"])
    }

    @Test("A forced step whose output changed refreshes its entry and reruns its dependants")
    func forcedChanged() throws {
        let scratch = Scratch(), graph = LayerGraph()
        try scratch.write("src/main.swift", "print(1)")
        build(graph.plan(scratch), in: scratch)
        _ = graph.counter.take()
        graph.extraOutput = " (rebuilt with a changed toolchain)"
        let result = build(graph.plan(scratch), in: scratch, forced: ["compile"])
        #expect(result.succeeded)
        #expect(graph.counter.take() == ["compile": 1, "stage": 1, "image": 1])
        #expect(try scratch.read("out/image.img") == "IMGbinary of print(1) (rebuilt with a changed toolchain)")
        // The refreshed entry is the one used next time.
        let again = build(graph.plan(scratch), in: scratch)
        #expect(graph.counter.take() == [:])
        #expect(again.outputDigests == result.outputDigests)
    }

    @Test("copyTree copies a dependency's output with symlinks and modes into a new output")
    func copyTree() throws {
        let scratch = Scratch()
        let base = Step(id: "base", description: "Base", kind: "base", inputs: []) { ctx in
            let bin = ctx.outputDirectory.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try Data("#!/bin/busybox".utf8).write(to: bin.appendingPathComponent("busybox"))
            chmod(bin.appendingPathComponent("busybox").path, 0o755)
            try FileManager.default.createSymbolicLink(atPath: bin.path + "/sh", withDestinationPath: "busybox")
        }
        let rootfs = Step(id: "rootfs", description: "Rootfs", kind: "rootfs", inputs: [.output(of: "base")]) { ctx in
            try ctx.copyTree(ctx.outputDirectory(of: "base"), to: ctx.outputDirectory.appendingPathComponent("rootfs"))
            try Data("extra".utf8).write(to: ctx.outputDirectory.appendingPathComponent("rootfs/bin/extra"))
        }
        let result = build(BuildPlan(steps: [base, rootfs], exports: [OutputExport(step: "rootfs")]), in: scratch)
        #expect(result.succeeded)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.out + "/rootfs/bin/sh") == "busybox")
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.out + "/rootfs/bin/busybox")[.posixPermissions] as? Int
        #expect(mode == 0o755)
        let baseOutput = try #require(result.outputs["base"])
        #expect(!FileManager.default.fileExists(atPath: baseOutput.path + "/bin/extra"))
    }

    @Test("dependants(of:) selects a layer's steps and everything downstream")
    func dependants() throws {
        let scratch = Scratch(), graph = LayerGraph()
        #expect(graph.plan(scratch).dependants(of: ["stage"]) == ["stage", "image"])
        #expect(graph.plan(scratch).dependants(of: ["compile"]) == ["compile", "stage", "image"])
    }
}
