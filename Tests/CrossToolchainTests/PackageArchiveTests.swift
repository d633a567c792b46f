// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DebianPackages
import Foundation
import Testing

/// DebianPackages against the real archive (or the warm cache): unknown names,
/// versions no place has, corrupt cached files and an unreachable mirror.
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
        let error = #expect(throws: DebianPackagesError.self) { try fetcher.ensureCached(lock) }
        guard case let .packagesUnavailable(_, packages, _) = error else {
            Issue.record("expected packagesUnavailable, got \(String(describing: error))")
            return
        }
        #expect(packages.map(\.package) == [fake])
        #expect(packages[0].attempts.contains { "\($0.place.location)".hasSuffix(fake.filename) })
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
        let events = Box<[DownloadProgress]>([])
        let refetched = try fetcher.ensureCached(lock) { events.value.append($0) }
        #expect(refetched.downloaded == [smallest.name])
        #expect(events.value.last == DownloadProgress(bytesDone: Int64(smallest.size), bytesTotal: Int64(smallest.size),
                                                      packagesTotal: 1))
        #expect(events.value.allSatisfy { $0.bytesDone <= $0.bytesTotal })
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
        guard case let .packagesUnavailable(_, packages, _) = error else {
            Issue.record("expected packagesUnavailable, got \(String(describing: error))")
            return
        }
        #expect(packages.map(\.package.name) == ["libc6"])
        let firstPlace = try #require(packages.first?.attempts.first)
        #expect("\(firstPlace.place.location)".hasPrefix("http://127.0.0.1:9/debian/pool/"))
    }

    /// The first Packages index of the warm arm64 private apt.
    static func warmIndex() throws -> PackageIndexFile {
        _ = try TestEnvironment.fetch(.arm64)
        let apt = TestEnvironment.fetcher().apt(for: "arm64")
        return try #require(try apt.packageIndexes().first { FileManager.default.fileExists(atPath: $0.file.path) })
    }

    @Test(.enabled(if: usable, "needs the Debian mirror or a warm arm64 cache"))
    func aTamperedReleaseFileFailsSignatureVerification() throws {
        let index = try Self.warmIndex()
        let folder = try TemporaryFolder()
        var text = try String(contentsOf: index.inRelease, encoding: .utf8)
        let dateLine = try #require(text.range(of: "\nDate: "))
        text.replaceSubrange(dateLine, with: "\nDate: X")
        let tampered = folder.url.appendingPathComponent("InRelease")
        try text.write(to: tampered, atomically: true, encoding: .utf8)
        let signed = SignedIndex(keyring: TestEnvironment.keyring)
        #expect(try signed.verifiedRelease(index.inRelease).contains("SHA256:"))
        let error = #expect(throws: DebianPackagesError.self) { try signed.verifiedRelease(tampered) }
        guard case let .signatureVerificationFailed(file, _, _) = error else {
            Issue.record("expected signatureVerificationFailed, got \(String(describing: error))")
            return
        }
        #expect(file == tampered.path)
    }

    @Test(.enabled(if: usable, "needs the Debian mirror or a warm arm64 cache"))
    func anIndexThatDoesNotMatchItsReleaseIsRefused() throws {
        let index = try Self.warmIndex()
        let folder = try TemporaryFolder()
        let forged = folder.url.appendingPathComponent("Packages")
        try Data("Package: libc6\nVersion: 9\nArchitecture: arm64\n".utf8).write(to: forged)
        var swapped = index
        swapped.file = forged
        let error = #expect(throws: DebianPackagesError.self) {
            try SignedIndex(keyring: TestEnvironment.keyring).verifiedContents(of: swapped)
        }
        guard case let .indexChecksumMismatch(file, _, actual) = error else {
            Issue.record("expected indexChecksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(file == forged.path)
        #expect(actual == FileDigest.sha256(try Data(contentsOf: forged)))
    }
}
