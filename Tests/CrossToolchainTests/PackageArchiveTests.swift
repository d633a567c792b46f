// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DebianPackages
import Foundation
import Testing

/// DebianPackages against the real archive (or the warm cache): unknown names,
/// vanished versions, corrupt cached files and an unreachable mirror.
@Suite(.serialized) struct PackageArchiveTests {
    static let online = TestEnvironment.hasHostTools && TestEnvironment.mirrorReachable
    static let usable = TestEnvironment.packagesAvailable(.arm64)
    static let unreachable = [AptSource(uri: "http://127.0.0.1:9/debian", suites: ["bookworm"], components: ["main"])]

    @Test(.enabled(if: online, "needs the Debian mirror"))
    func anUnknownOrRenamedPackageIsNamedInTheError() throws {
        let request = PackageRequest(architecture: "arm64", sets: ["sysroot": ["libc6", "libxenstore-renamed"]])
        #expect(throws: DebianPackagesError.packageNotFound(name: "libxenstore-renamed", architecture: "arm64")) {
            try TestEnvironment.fetcher().resolve(request)
        }
    }

    @Test(.enabled(if: online, "needs the Debian mirror"))
    func aLockedVersionTheArchiveNoLongerHasIsNamed() throws {
        let folder = try TemporaryFolder()
        let fake = LockedPackage(name: "libc6", version: "2.36-0fake1", architecture: "arm64",
                                 sha256: String(repeating: "0", count: 64), size: 1,
                                 filename: "pool/main/g/glibc/libc6_2.36-0fake1_arm64.deb", sets: ["sysroot"])
        let lock = PackageLock(architecture: "arm64", sets: ["sysroot": ["libc6"]], packages: [fake])
        let fetcher = TestEnvironment.fetcher(cache: folder.url)
        #expect(throws: DebianPackagesError.lockedVersionUnavailable(name: "libc6", version: "2.36-0fake1",
                                                                     architecture: "arm64")) {
            try fetcher.ensureCached(lock)
        }
    }

    @Test(.enabled(if: online, "needs the Debian mirror"))
    func theImageSetResolvesWithSignedHashes() throws {
        let request = PackageRequest(architecture: "arm64",
                                     sets: [BasePackageSets.imageSetName: BasePackageSets.image(for: "arm64")])
        let lock = try TestEnvironment.fetcher().resolve(request)
        let names = Set(lock.packages.map(\.name))
        #expect(names.isSuperset(of: ["xen-hypervisor-4.17-arm64", "xen-utils-4.17", "busybox-static"]))
        #expect(names.contains { $0.hasPrefix("linux-image-") && $0.hasSuffix("-arm64") && $0 != "linux-image-arm64" })
        for package in lock.packages {
            #expect(package.sha256.count == 64 && package.size > 0 && package.filename.hasPrefix("pool/"),
                    "\(package.name) lacks archive metadata")
            #expect(["arm64", "all"].contains(package.architecture))
        }
    }

    @Test(.enabled(if: usable, "needs the Debian mirror or a warm arm64 cache"))
    func aCorruptCachedDebIsDetectedAndFetchedAgain() throws {
        let fetched = try TestEnvironment.fetch(.arm64)
        let smallest = try #require(fetched.lock.packages.min { $0.size < $1.size })
        let folder = try TemporaryFolder()
        let fetcher = TestEnvironment.fetcher(cache: folder.url)
        let store = fetcher.store(for: "arm64")
        try FileManager.default.createDirectory(at: store.folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try #require(fetched.files[smallest.name]), to: store.file(for: smallest))
        let lock = PackageLock(architecture: "arm64", sets: ["sysroot": [smallest.name]], packages: [smallest])
        #expect(try fetcher.ensureCached(lock, offline: true).downloaded.isEmpty)

        var bytes = try Data(contentsOf: store.file(for: smallest))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: store.file(for: smallest))
        #expect(throws: DebianPackagesError.packagesMissingOffline(missing: ["\(smallest.name) \(smallest.version)"],
                                                                   cache: store.folder.path)) {
            try fetcher.ensureCached(lock, offline: true)
        }
        #expect(!FileManager.default.fileExists(atPath: store.file(for: smallest).path))
        guard Self.online else { return }
        let refetched = try fetcher.ensureCached(lock)
        #expect(refetched.downloaded == [smallest.name])
        #expect(try FileDigest.sha256(of: store.file(for: smallest)) == smallest.sha256)
    }

    @Test(.enabled(if: usable, "needs the Debian mirror or a warm arm64 cache"))
    func anUnreachableMirrorIsFineWhileTheCacheHoldsTheLock() throws {
        _ = try TestEnvironment.fetch(.arm64)
        let runner = RecordingCommandRunner(ProcessCommandRunner())
        let offline = PackageFetcher(cache: TestEnvironment.cache, sources: Self.unreachable,
                                     keyring: TestEnvironment.keyring, runner: runner)
        let fetched = try offline.fetch(TestEnvironment.request(.arm64), lockFile: TestEnvironment.lockFile(.arm64))
        #expect(fetched.downloaded.isEmpty)
        #expect(runner.commands.isEmpty)
        #expect(fetched.debs(inSet: "sysroot").count == fetched.lock.packages.count)
    }

    @Test(.enabled(if: usable && TestEnvironment.hasHostTools, "needs the Debian mirror or a warm arm64 cache"))
    func anUnreachableMirrorWithAColdCacheNamesWhatIsMissing() throws {
        let fetched = try TestEnvironment.fetch(.arm64)
        let libc = try #require(fetched.lock.packages.first { $0.name == "libc6" })
        let folder = try TemporaryFolder()
        let lockFile = folder.url.appendingPathComponent("image.lock")
        let lock = PackageLock(architecture: "arm64", sets: ["sysroot": ["libc6"]], packages: [libc])
        try lock.write(to: lockFile)
        let fetcher = PackageFetcher(cache: folder.url.appendingPathComponent("cache"), sources: Self.unreachable,
                                     keyring: TestEnvironment.keyring)
        let error = #expect(throws: DebianPackagesError.self) {
            try fetcher.fetch(PackageRequest(architecture: "arm64", sets: ["sysroot": ["libc6"]]), lockFile: lockFile)
        }
        guard case let .indexUpdateFailed(sources, missing, output) = error else {
            Issue.record("expected indexUpdateFailed, got \(String(describing: error))")
            return
        }
        #expect(missing == ["libc6 \(libc.version)"])
        #expect(sources.allSatisfy { $0.contains("127.0.0.1:9") })
        #expect(output.contains("127.0.0.1"))
    }
}
