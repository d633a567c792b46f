// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DebianPackages

@Suite struct PackageStoreTests {
    /// A store holding one file whose lock entry has the file's real SHA256.
    static func storeWithOnePackage() throws -> (TemporaryFolder, PackageStore, LockedPackage) {
        let folder = try TemporaryFolder()
        let store = PackageStore(folder: folder.url)
        let bytes = Data("not really a deb, but bytes with a known hash".utf8)
        let package = LockedPackage(name: "libdemo1", version: "2:1.0-1", architecture: "arm64",
                                    sha256: FileDigest.sha256(bytes), size: bytes.count,
                                    filename: "pool/main/d/demo/libdemo1_1.0-1_arm64.deb", sets: ["sysroot"])
        try bytes.write(to: store.file(for: package))
        return (folder, store, package)
    }

    @Test func hashesMatchTheStandardDigest() throws {
        #expect(FileDigest.sha256(Data("abc".utf8))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func aMatchingFileIsPresentAndStamped() throws {
        let (folder, store, package) = try Self.storeWithOnePackage()
        #expect(try store.check(package) == .present)
        #expect(FileManager.default.fileExists(atPath: store.file(for: package).path + ".verified"))
        #expect(try store.check(package) == .present)
        withExtendedLifetime(folder) {}
    }

    @Test func aCorruptedFileIsDetectedAndRemovedEvenAfterItWasVerified() throws {
        let (folder, store, package) = try Self.storeWithOnePackage()
        defer { withExtendedLifetime(folder) {} }
        #expect(try store.check(package) == .present)
        let file = store.file(for: package)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seek(toOffset: 3)
        try handle.write(contentsOf: Data("XX".utf8))
        try handle.close()
        let corrupted = try FileDigest.sha256(of: file)
        #expect(try store.check(package) == .corrupt(actualSHA256: corrupted))
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(try store.check(package) == .missing)
    }

    @Test func admittingADownloadWithTheWrongHashFails() throws {
        let (folder, store, package) = try Self.storeWithOnePackage()
        let download = folder.url.appendingPathComponent("download.deb")
        try Data("tampered".utf8).write(to: download)
        #expect(throws: DebianPackagesError.packageChecksumMismatch(
            name: "libdemo1", version: "2:1.0-1", file: download.path, expected: package.sha256,
            actual: FileDigest.sha256(Data("tampered".utf8)))) {
            try store.admit(download, as: package)
        }
        #expect(!FileManager.default.fileExists(atPath: download.path))
    }
}

@Suite struct AbandonedFilesTests {
    @Test func removesOnlyEntriesOfProcessesThatAreGone() throws {
        let folder = try TemporaryFolder()
        let fm = FileManager.default
        // pid_max on Linux is at most 4194304, so this pid cannot be running.
        let gone = folder.url.appendingPathComponent(".tmp-x-4194999")
        let running = folder.url.appendingPathComponent(".tmp-x-\(getppid())")
        let mine = folder.url.appendingPathComponent(".tmp-x-\(getpid())")
        let other = folder.url.appendingPathComponent("arm64-0123")
        for entry in [gone, running, mine, other] { try fm.createDirectory(at: entry, withIntermediateDirectories: true) }
        AbandonedFiles.remove(in: folder.url, prefix: ".tmp-x-")
        #expect(!fm.fileExists(atPath: gone.path))
        #expect(fm.fileExists(atPath: running.path) && fm.fileExists(atPath: mine.path) && fm.fileExists(atPath: other.path))
    }
}
