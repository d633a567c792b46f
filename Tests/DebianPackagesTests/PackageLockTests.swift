// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DebianPackages

@Suite struct PackageLockTests {
    static func package(_ name: String, sets: [String] = ["sysroot"], digit: Character = "a") -> LockedPackage {
        LockedPackage(name: name, version: "1.0-1", architecture: "arm64",
                      sha256: String(repeating: digit, count: 64), size: 100,
                      filename: "pool/main/x/\(name)/\(name)_1.0-1_arm64.deb", sets: sets)
    }

    @Test func encodingIsIndependentOfInputOrder() {
        let a = PackageLock(architecture: "arm64", sets: ["sysroot": ["libc6", "libxen-dev"], "image": ["busybox-static"]],
                            packages: [Self.package("libc6"), Self.package("busybox-static", sets: ["image"])])
        let b = PackageLock(architecture: "arm64", sets: ["image": ["busybox-static"], "sysroot": ["libxen-dev", "libc6"]],
                            packages: [Self.package("busybox-static", sets: ["image"]), Self.package("libc6")])
        #expect(a.encoded() == b.encoded())
        #expect(a.key == b.key)
        var c = a
        c.packages[0].sha256 = String(repeating: "b", count: 64)
        #expect(c.key != a.key)
        let text = String(decoding: a.encoded(), as: UTF8.self)
        #expect(text.range(of: "busybox-static")!.lowerBound < text.range(of: "\"libc6\"")!.lowerBound)
        #expect(text.hasSuffix("}\n"))
    }

    @Test func writesAndReadsBack() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("image.lock")
        let lock = PackageLock(architecture: "armhf", sets: ["sysroot": ["libc6"]],
                               packages: [Self.package("libc6"), Self.package("libgcc-s1", sets: ["sysroot", "image"])])
        try lock.write(to: file)
        #expect(try PackageLock.read(from: file) == lock)
        #expect(lock.packages(inSet: "image").map(\.name) == ["libgcc-s1"])
        #expect(lock.packages(inSet: "sysroot").map(\.name) == ["libc6", "libgcc-s1"])
    }

    @Test func rewritingTheSameLockKeepsTheFileUntouched() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("image.lock")
        let lock = PackageLock(architecture: "arm64", sets: ["sysroot": ["libc6"]], packages: [Self.package("libc6")])
        try lock.write(to: file)
        let before = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        usleep(20_000)
        try lock.write(to: file)
        let after = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        #expect(before == after)
    }

    @Test(arguments: [
        ("{", "not a valid lock"),
        (#"{"format": 9, "architecture": "arm64", "sets": {}, "packages": []}"#, "format 9"),
        (#"{"format": 1, "architecture": "arm64", "sets": {}, "packages": [{"name": "x", "version": "1", "architecture": "arm64", "sha256": "short", "size": 1, "filename": "x.deb", "sets": []}]}"#,
         "bad entry for package `x`"),
    ])
    func rejectsBrokenLocks(text: String, reason: String) throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("bad.lock")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: DebianPackagesError.self) { try PackageLock.read(from: file) }
        guard case let .lockReadFailed(path, message) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(path == file.path)
        #expect(message.contains(reason))
    }

    @Test func theLockLivesNextToTheImageConfig() {
        #expect(PackageLock.location(forImageConfig: URL(fileURLWithPath: "/r/Images/qemu-virt-arm64.yaml")).path
            == "/r/Images/qemu-virt-arm64.lock")
    }
}

@Suite struct LockChangeTests {
    @Test func changesAreListedByNameLikeAptListUpgradable() {
        func package(_ name: String, _ version: String, _ digit: Character = "a") -> LockedPackage {
            var package = PackageLockTests.package(name, digit: digit)
            package.version = version
            return package
        }
        let old = PackageLock(architecture: "arm64", sets: ["image": ["linux-image-arm64"]], packages: [
            package("linux-image-6.1.0-41-arm64", "6.1.192-2"), package("linux-image-arm64", "6.1.192-2"),
            package("zlib1g", "1:1.2.13"), package("busybox-static", "1:1.35.0-4"),
        ])
        let new = PackageLock(architecture: "arm64", sets: ["image": ["linux-image-arm64"]], packages: [
            package("linux-image-6.1.0-42-arm64", "6.1.193-1"), package("linux-image-arm64", "6.1.193-1"),
            package("zlib1g", "1:1.2.13", "b"), package("busybox-static", "1:1.35.0-4"),
        ])
        #expect(old.changes(to: new).map(\.description) == [
            "linux-image-6.1.0-41-arm64 6.1.192-2 (no longer needed) [arm64]",
            "linux-image-6.1.0-42-arm64 (new) 6.1.193-1 [arm64]",
            "linux-image-arm64 6.1.192-2 → 6.1.193-1 [arm64]",
            "zlib1g 1:1.2.13 (rebuilt: new SHA256) [arm64]",
        ])
        #expect(old.changes(to: old).isEmpty)
    }

    @Test func indexDatesDoNotChangeTheLocksKey() {
        let packages = [PackageLockTests.package("libc6")]
        let a = PackageLock(architecture: "arm64", sets: ["sysroot": ["libc6"]], packages: packages)
        let b = PackageLock(architecture: "arm64", sets: ["sysroot": ["libc6"]], packages: packages,
                            indexes: [LockedIndex(uri: "http://m/debian", suite: "bookworm", date: "2026-12-01T00:00:00Z")])
        #expect(a.key == b.key)
        #expect(a.encoded() != b.encoded())
    }
}
