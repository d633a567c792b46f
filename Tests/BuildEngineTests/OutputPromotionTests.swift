// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation
import Testing

@Suite("Output folder promotion")
struct OutputPromotionTests {
    func plan(_ scratch: Scratch, fail: Bool, content: String) -> BuildPlan {
        let a = Step(id: "a", description: "A", kind: "a", inputs: [.value(name: "content", value: content)]) { ctx in
            try FileManager.default.createDirectory(at: ctx.outputDirectory.appendingPathComponent("boot"), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: ctx.outputDirectory.appendingPathComponent("boot/Image"))
        }
        let b = Step(id: "b", description: "B", kind: "b", inputs: [.output(of: "a"), .value(name: "fail", value: "\(fail)")]) { ctx in
            if fail { throw BuildEngineError.stepActionFailed(step: "b", message: "disk image tool failed") }
            try Data("img".utf8).write(to: ctx.outputDirectory.appendingPathComponent("disk.img"))
        }
        return BuildPlan(steps: [a, b], exports: [OutputExport(step: "a", path: "boot", destination: "boot"),
                                                 OutputExport(step: "b", destination: "images")])
    }

    @Test("A failed build leaves the previous output intact")
    func failedBuildKeepsOutput() throws {
        let scratch = Scratch()
        #expect(build(plan(scratch, fail: false, content: "v1"), in: scratch).succeeded)
        #expect(try scratch.read("out/boot/Image") == "v1")
        #expect(try scratch.read("out/images/disk.img") == "img")
        let failed = build(plan(scratch, fail: true, content: "v2"), in: scratch)
        #expect(failed.failedStep == "b")
        #expect(try scratch.read("out/boot/Image") == "v1")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix("out.") }
        #expect(siblings.isEmpty)
    }

    @Test("A successful build replaces the whole output; files not exported any more disappear")
    func replaces() throws {
        let scratch = Scratch()
        build(plan(scratch, fail: false, content: "v1"), in: scratch)
        try scratch.write("out/stray.txt", "left by the user")
        build(plan(scratch, fail: false, content: "v2"), in: scratch)
        #expect(try scratch.read("out/boot/Image") == "v2")
        #expect(!FileManager.default.fileExists(atPath: scratch.out + "/stray.txt"))
    }

    @Test("A no-op build does not rewrite the output; a modified output file is restored")
    func noOpKeepsFiles() throws {
        let scratch = Scratch()
        build(plan(scratch, fail: false, content: "v1"), in: scratch)
        let inode = try FileManager.default.attributesOfItem(atPath: scratch.out + "/boot/Image")[.systemFileNumber] as? Int
        build(plan(scratch, fail: false, content: "v1"), in: scratch)
        #expect(try FileManager.default.attributesOfItem(atPath: scratch.out + "/boot/Image")[.systemFileNumber] as? Int == inode)
        try scratch.write("out/boot/Image", "tampered")
        build(plan(scratch, fail: false, content: "v1"), in: scratch)
        #expect(try scratch.read("out/boot/Image") == "v1")
    }

    @Test("Leftovers of a killed promotion are cleaned up; an interrupted swap is restored")
    func staleSiblings() throws {
        let scratch = Scratch()
        build(plan(scratch, fail: false, content: "v1"), in: scratch)
        // A process id that cannot be alive (above pid_max).
        let dead = "99999999"
        try FileManager.default.moveItem(atPath: scratch.out, toPath: scratch.out + ".old-" + dead)
        try scratch.write("out.tmp-\(dead)/half", "partial")
        build(plan(scratch, fail: true, content: "v2"), in: scratch)
        #expect(try scratch.read("out/boot/Image") == "v1")
        #expect(!FileManager.default.fileExists(atPath: scratch.out + ".tmp-" + dead))
        #expect(!FileManager.default.fileExists(atPath: scratch.out + ".old-" + dead))
    }

    @Test("Exporting a path a step did not produce fails the build and keeps the output")
    func missingExport() throws {
        let scratch = Scratch()
        build(plan(scratch, fail: false, content: "v1"), in: scratch)
        var bad = plan(scratch, fail: false, content: "v1")
        bad.exports.append(OutputExport(step: "a", path: "nope", destination: "x"))
        let result = build(bad, in: scratch)
        #expect(result.failure == .exportPathMissing(step: "a", path: "nope"))
        #expect(try scratch.read("out/boot/Image") == "v1")
    }
}
