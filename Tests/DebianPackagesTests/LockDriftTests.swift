// SPDX-License-Identifier: Apache-2.0
import DebianArchiveFixture
import Foundation
import Testing
@testable import DebianPackages

/// A lock survives the archive moving on: the drift scenarios of a real mirror,
/// played against a signed `file://` archive the test makes (never the live mirror).
@Suite(.serialized, .enabled(if: LocalDebianArchive.toolsAvailable, "needs gpg, gpgv, apt-get and curl"))
struct LockDriftTests {
    static let request = PackageRequest(architecture: "arm64", sets: ["sysroot": ["libdemo1", "libother2"]])
    static let demo1 = LocalDebianArchive.Package(name: "libdemo1", version: "1.0-1")
    static let demo2 = LocalDebianArchive.Package(name: "libdemo1", version: "1.0-2")
    static let other = LocalDebianArchive.Package(name: "libother2", version: "2.0-1")

    /// The archive, the lock made when it offered libdemo1 1.0-1, and a folder for caches;
    /// then the archive publishes 1.0-2 and drops 1.0-1 from its index (not its pool).
    struct Drifted {
        let archive: LocalDebianArchive
        let lock: PackageLock
        let lockFile: URL
        let folder: TemporaryFolder
        let lockedAt: Date
    }

    static func drifted() throws -> Drifted {
        let archive = try LocalDebianArchive()
        let folder = try TemporaryFolder()
        try archive.publish([demo1, other])
        let lockedAt = archive.releaseDate
        let lock = try fetcher(archive, cache: folder.url.appendingPathComponent("resolve-cache")).resolve(request)
        let lockFile = folder.url.appendingPathComponent("image.lock")
        try lock.write(to: lockFile)
        try archive.publish([demo2, other])
        return Drifted(archive: archive, lock: lock, lockFile: lockFile, folder: folder, lockedAt: lockedAt)
    }

    static func fetcher(_ archive: LocalDebianArchive, cache: URL, extraMirrors: [String] = [],
                        snapshot: Bool = true) -> PackageFetcher {
        PackageFetcher(cache: cache, sources: [archive.source], keyring: archive.keyring.path,
                       origins: PackageOrigins(mirrors: [archive.source.uri],
                                               snapshotRoot: snapshot ? archive.snapshotRoot.absoluteString : nil,
                                               extraMirrors: extraMirrors))
    }

    static func debs(in fetcher: PackageFetcher) -> [String] {
        let folder = fetcher.store(for: "arm64").folder.path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".deb") }.sorted()
    }

    @Test func theLockRecordsItsSignedIndexAndItsDate() throws {
        let drifted = try Self.drifted()
        let index = try #require(drifted.lock.indexes?.first)
        #expect(drifted.lock.indexes?.count == 1)
        #expect(index.suite == "bookworm")
        #expect(index.uri.hasSuffix(drifted.archive.repository.path))
        let expected = ISO8601DateFormatter().string(from: drifted.lockedAt)
        #expect(index.date == expected)
        #expect(drifted.lock.packages.map(\.version) == ["1.0-1", "2.0-1"])
    }

    @Test func aVersionDroppedFromTheIndexIsFetchedFromThePoolByItsHash() throws {
        let drifted = try Self.drifted()
        let fetcher = Self.fetcher(drifted.archive, cache: drifted.folder.url.appendingPathComponent("cache"), snapshot: false)
        let fetched = try fetcher.ensureCached(drifted.lock)
        #expect(fetched.downloaded.sorted() == ["libdemo1", "libother2"])
        let file = try #require(fetched.files["libdemo1"])
        #expect(try FileDigest.sha256(of: file) == Self.demo1.sha256)
    }

    @Test func aVersionGoneFromThePoolComesFromTheSnapshotArchive() throws {
        let drifted = try Self.drifted()
        try drifted.archive.removeFromPool(Self.demo1)
        try drifted.archive.addToSnapshot(Self.demo1, publishedAt: drifted.lockedAt)
        let fetcher = Self.fetcher(drifted.archive, cache: drifted.folder.url.appendingPathComponent("cache"))
        let fetched = try fetcher.ensureCached(drifted.lock)
        #expect(try FileDigest.sha256(of: try #require(fetched.files["libdemo1"])) == Self.demo1.sha256)
    }

    @Test(arguments: [false, true])
    func aVersionGoneFromThePoolComesFromAnExtraMirror(asURL: Bool) throws {
        let drifted = try Self.drifted()
        try drifted.archive.removeFromPool(Self.demo1)
        // An in-house mirror with the pool layout (named by URL), or a flat folder of .debs.
        let mirror = drifted.folder.url.appendingPathComponent("in-house")
        let file = asURL ? mirror.appendingPathComponent(Self.demo1.filename)
            : mirror.appendingPathComponent(URL(fileURLWithPath: Self.demo1.filename).lastPathComponent)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.demo1.contents.write(to: file)
        let fetcher = Self.fetcher(drifted.archive, cache: drifted.folder.url.appendingPathComponent("cache"),
                                   extraMirrors: [asURL ? mirror.absoluteString : mirror.path])
        let fetched = try fetcher.ensureCached(drifted.lock)
        #expect(try FileDigest.sha256(of: try #require(fetched.files["libdemo1"])) == Self.demo1.sha256)
    }

    @Test func aPackageGoneEverywhereIsOneErrorThatListsEveryPlaceTried() throws {
        let drifted = try Self.drifted()
        try drifted.archive.removeFromPool(Self.demo1)
        let emptyMirror = drifted.folder.url.appendingPathComponent("empty-mirror")
        try FileManager.default.createDirectory(at: emptyMirror, withIntermediateDirectories: true)
        let fetcher = Self.fetcher(drifted.archive, cache: drifted.folder.url.appendingPathComponent("cache"),
                                   extraMirrors: [emptyMirror.path])
        do {
            _ = try fetcher.ensureCached(drifted.lock, lockFile: drifted.lockFile.path, refresh: "driverdom lock Images/x.yaml")
            Issue.record("a package no place has was fetched")
        } catch let DebianPackagesError.packagesUnavailable(lockFile, packages, _) {
            #expect(lockFile == drifted.lockFile.path)
            #expect(packages.map(\.package.name) == ["libdemo1"])
            let text = "\(DebianPackagesError.packagesUnavailable(lockFile: lockFile, packages: packages, refresh: "driverdom lock Images/x.yaml"))"
            #expect(text.contains("libdemo1 1.0-1 (arm64)"))
            #expect(text.contains(drifted.archive.source.uri + "/" + Self.demo1.filename))
            #expect(text.contains("snapshot archive " + drifted.archive.snapshotRoot.absoluteString))
            #expect(text.contains(emptyMirror.path + "/libdemo1_1.0-1_arm64.deb: no such file"))
            #expect(text.contains("driverdom lock Images/x.yaml"))
        }
        // All or nothing: the package that was available did not land either.
        #expect(Self.debs(in: fetcher).isEmpty)
    }

    @Test func aTamperedLockHashIsRefusedAndNothingLandsInTheCache() throws {
        let drifted = try Self.drifted()
        var tampered = drifted.lock
        let index = try #require(tampered.packages.firstIndex { $0.name == "libdemo1" })
        let forged = String(repeating: "e", count: 64)
        tampered.packages[index].sha256 = forged
        let fetcher = Self.fetcher(drifted.archive, cache: drifted.folder.url.appendingPathComponent("cache"), snapshot: false)
        do {
            _ = try fetcher.ensureCached(tampered, lockFile: drifted.lockFile.path)
            Issue.record("a file whose hash differs from the lock was admitted")
        } catch let error as DebianPackagesError {
            let text = "\(error)"
            #expect(text.contains("libdemo1 1.0-1"))
            #expect(text.contains(forged))
            #expect(text.contains(Self.demo1.sha256))
            #expect(text.contains(drifted.lockFile.path))
            #expect(text.contains(drifted.archive.source.uri + "/" + Self.demo1.filename))
        }
        #expect(Self.debs(in: fetcher).isEmpty)
    }

    @Test func offlineAWarmCacheBuildsWithoutTheArchive() throws {
        let drifted = try Self.drifted()
        let cache = drifted.folder.url.appendingPathComponent("cache")
        _ = try Self.fetcher(drifted.archive, cache: cache).ensureCached(drifted.lock)
        try FileManager.default.removeItem(at: drifted.archive.repository)
        let runner = RecordingCommandRunner(RefusingCommandRunner())
        let offline = PackageFetcher(cache: cache, sources: [drifted.archive.source], runner: runner,
                                     downloader: RefusingDownloader())
        let fetched = try offline.ensureCached(drifted.lock, offline: true)
        #expect(fetched.downloaded.isEmpty)
        #expect(runner.commands.isEmpty)
        #expect(try FileDigest.sha256(of: try #require(fetched.files["libdemo1"])) == Self.demo1.sha256)
    }

    @Test func upgradableListsNewerAndWithdrawnVersionsWithoutResolving() throws {
        let drifted = try Self.drifted()
        let runner = RecordingCommandRunner(ProcessCommandRunner())
        let fetcher = PackageFetcher(cache: drifted.folder.url.appendingPathComponent("cache"),
                                     sources: [drifted.archive.source], keyring: drifted.archive.keyring.path,
                                     runner: runner)
        #expect(try fetcher.upgradable(drifted.lock) == [
            .upgraded(name: "libdemo1", from: "1.0-1", to: "1.0-2", architecture: "arm64"),
        ])
        #expect(!runner.commands.contains { $0.arguments.contains("--simulate") }, "upgradable resolved dependencies")
        try drifted.archive.publish([Self.demo1])
        #expect(try fetcher.upgradable(drifted.lock) == [
            .withdrawn(name: "libother2", version: "2.0-1", architecture: "arm64"),
        ])
        try drifted.archive.publish([Self.demo1, Self.other])
        #expect(try fetcher.upgradable(drifted.lock).isEmpty)
    }

    @Test func aNewResolutionListsTheUpgrade() throws {
        let drifted = try Self.drifted()
        let newer = try Self.fetcher(drifted.archive, cache: drifted.folder.url.appendingPathComponent("cache"))
            .resolve(Self.request)
        #expect(drifted.lock.changes(to: newer) == [
            .upgraded(name: "libdemo1", from: "1.0-1", to: "1.0-2", architecture: "arm64"),
        ])
        #expect(newer.changes(to: newer).isEmpty)
    }
}

/// Fails every transfer, so a test proves nothing was downloaded.
struct RefusingDownloader: PackageDownloading {
    func fetch(_ transfers: [PackageTransfer]) -> [String?] { transfers.map { _ in "refused by test" } }
}
