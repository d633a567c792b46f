// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

extension BuildEndToEndTests {
    /// Two builds of the default image with the sources, cache and output in different
    /// folders must give the same bytes: one through the suite's shared build cache
    /// (cold on a fresh machine, as in CI; warm otherwise, which also proves that a
    /// cached step gives what building it again gives), one from an empty cache.
    /// Nested in the serialized build end-to-end suite: its layer test edits
    /// `Sources/kbdif-backend/main.swift` in this checkout for a while, and a build or a
    /// source copy made meanwhile here gave kbdif-backend another digest (CI saw
    /// sbom.spdx.json and licenses.json differ at kbdif-backend's version).
    @Suite("Reproducible builds (two caches, two folders)", .serialized,
           .enabled(if: EndToEnd.skipReason == nil, EndToEnd.skipReason ?? ""))
    struct ReproducibilityTests {
        /// The artifacts a user flashes or boots; each must be byte-identical.
        static let artifacts = ["domd-initramfs.cpio.gz", "domd-rootfs.ext4", "disk.img", "disk.img.bmap",
                                "manifest.json", "domd-sizes.txt", "sbom.spdx.json", "licenses.json",
                                "boot/xen", "boot/vmlinuz", "boot/dom0-initrd.cpio.gz"]

        private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("repro-\(UUID().uuidString)")

        /// Copies the package's own files (not build folders) into `folder`.
        private func copySources(to folder: URL) throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let copy = try DriverdomProcess.run([
                "sh", "-c", "tar -C \"$0\" --exclude='./.build*' --exclude=./.git --exclude=./out -cf - . | tar -C \"$1\" -xf -",
                repositoryRoot.path, folder.path,
            ])
            try #require(copy.status == 0, "cannot copy the sources: \(copy.stderr)")
        }

        private func build(sources: URL, cache: URL, out: URL) throws -> DriverdomProcess {
            try DriverdomProcess.run([DriverdomProcess.executable!, "build", EndToEnd.image, "--json",
                                      "--cache", cache.path, "--out", out.path],
                                     environment: ["DRIVERDOM_CACHE": cache.path], in: sources)
        }

        @Test func aSharedCacheBuildAndAnEmptyCacheBuildInAnotherFolderAreByteIdentical() throws {
            defer { try? FileManager.default.removeItem(at: scratch) }
            let first = scratch.appendingPathComponent("first")
            let second = scratch.appendingPathComponent("elsewhere/second-copy")
            try copySources(to: second.appendingPathComponent("src"))

            let a = try build(sources: repositoryRoot, cache: URL(fileURLWithPath: EndToEnd.cache),
                              out: first.appendingPathComponent("out"))
            try #require(a.status == 0, "first build failed: \(a.stderr)")
            let b = try build(sources: second.appendingPathComponent("src"), cache: second.appendingPathComponent("cache"),
                              out: second.appendingPathComponent("out"))
            try #require(b.status == 0, "second build failed: \(b.stderr)")
            #expect(b.finishedSteps.values.allSatisfy { !$0 }, "the empty cache took steps from a cache")

            for artifact in Self.artifacts {
                let left = try Data(contentsOf: first.appendingPathComponent("out/" + artifact))
                let right = try Data(contentsOf: second.appendingPathComponent("out/" + artifact))
                #expect(!left.isEmpty, "\(artifact) is empty")
                guard left != right else { continue }
                let firstDifference = zip(left, right).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                let whereText = firstDifference.map { "at byte \($0)" } ?? "at the end of the shorter file"
                Issue.record("\(artifact) differs between the builds (\(left.count) vs \(right.count) bytes), first \(whereText)")
            }
        }
    }
}
