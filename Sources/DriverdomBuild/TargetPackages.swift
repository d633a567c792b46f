// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DebianPackages
import DriverdomConfig
import Foundation

/// Glue to DebianPackages and CrossToolchain: the image's package request, its
/// lock file next to the image config, fetching, the sysroot and the Swift SDK.
package struct TargetPackages: Sendable {
    /// The architecture as CrossToolchain names it.
    package let architecture: CrossToolchain.TargetArchitecture
    /// `Images/NAME.lock`, next to the image config.
    package let lockFile: URL
    /// Package sets: `sysroot`, `image` (kernel, Xen, busybox, layers' runtime packages)
    /// and, when the image builds from kernel sources, `kernel-source`, and, for an
    /// image whose tests need them, `test` (``testPackages(for:)``).
    package let request: PackageRequest
    private let fetcher: PackageFetcher
    private let cache: URL

    /// Sets up fetching for `configuration` with the image's `debian:` sources (else the
    /// host's Debian sources), caching under `cache`.
    package init(configuration: Configuration, architecture: Architecture, cache: URL,
                runner: any CommandRunning = ProcessCommandRunner(),
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(BuildError) {
        self.architecture = architecture == .aarch64 ? .arm64 : .armhf
        let imageURL = URL(fileURLWithPath: configuration.image.path)
        lockFile = imageURL.deletingPathExtension().appendingPathExtension("lock")
        let debian = architecture.debianName
        var image = BasePackageSets.image(for: debian) + Self.controlDomainPackages
        image += configuration.layers.flatMap(\.packages)
        var sets = [
            BasePackageSets.sysrootSetName: BasePackageSets.sysroot,
            BasePackageSets.imageSetName: image,
        ]
        if KernelSourceBuild.needed(configuration) {
            sets[KernelSourceBuild.packageSetName] = KernelSourceBuild.packages(forDebianArchitecture: debian)
        }
        let test = Self.testPackages(for: configuration)
        if !test.isEmpty { sets[Self.testSetName] = test }
        request = PackageRequest(architecture: debian, sets: sets)
        self.cache = cache
        self.imagePath = configuration.image.path
        let settings = configuration.image.packageSources
        let sources: [AptSource]
        if settings.sources.isEmpty {
            do { sources = try AptSource.hostDebianSources() } catch {
                throw .stepFailed(step: "fetch", reason: "\(error)")
            }
        } else {
            sources = settings.sources.map { AptSource(uri: $0.uri, suites: $0.suites, components: $0.components) }
        }
        let origins = PackageOrigins.forSources(sources, extraMirrors: settings.extraMirrors, environment: environment)
        fetcher = PackageFetcher(cache: cache, sources: sources,
                                 keyring: settings.keyring ?? "/usr/share/keyrings/debian-archive-keyring.gpg",
                                 origins: origins, runner: runner)
    }

    /// The image file, for the command that refreshes its lock.
    private let imagePath: String

    /// The command that refreshes this image's lock, as the user would type it.
    package var refreshCommand: String {
        let current = FileManager.default.currentDirectoryPath + "/"
        let shown = imagePath.hasPrefix(current) ? String(imagePath.dropFirst(current.count)) : imagePath
        return "driverdom lock \(shown)"
    }

    /// The Debian archive packages are fetched from (the host's first Debian source), nil if none.
    package var archiveURI: String? { fetcher.sources.first?.uri }

    /// The lock: read (and checked against the request), or resolved and written
    /// when there is none yet. Needs the network only to resolve. Refreshing an
    /// existing lock is `driverdom lock`'s job (``resolve()``), never a build's.
    package func lock(offline: Bool) throws(BuildError) -> PackageLock {
        do {
            if !FileManager.default.fileExists(atPath: lockFile.path) {
                if offline {
                    throw DebianPackagesError.lockOutOfDate(file: lockFile.path,
                                                            reason: "there is none yet and making it needs the network (--offline)")
                }
                let lock = try fetcher.resolve(request)
                try lock.write(to: lockFile)
                return lock
            }
            let lock = try PackageLock.read(from: lockFile)
            guard lock.architecture == request.architecture, lock.sets == request.sets else {
                throw BuildError.readLockFailed(reason: "lock file \(lockFile.path) was made for other packages "
                    + "than the image now needs (its layers or board changed); refresh it with `\(refreshCommand)`")
            }
            return lock
        } catch let error as BuildError {
            throw error
        } catch let error as DebianPackagesError {
            if case .lockOutOfDate = error { throw .readLockFailed(reason: "\(error)") }
            throw .fetchPackagesFailed(reason: "\(error)")
        } catch {
            throw .fetchPackagesFailed(reason: "\(error)")
        }
    }

    /// Resolves the image's packages against today's archive (after `apt-get update`
    /// in the private apt): the lock `driverdom lock` compares and writes.
    package func resolve() throws(BuildError) -> PackageLock {
        do { return try fetcher.resolve(request) } catch {
            throw .fetchPackagesFailed(reason: "\(error)")
        }
    }

    /// The locked packages today's archive offers newer versions of (or no longer lists).
    package func upgradable(_ lock: PackageLock) throws(BuildError) -> [LockChange] {
        do { return try fetcher.upgradable(lock) } catch {
            throw .fetchPackagesFailed(reason: "\(error)")
        }
    }

    /// Every locked package verified in the package cache (downloaded unless offline).
    package func fetch(_ lock: PackageLock, offline: Bool,
                      progress: (@Sendable (DownloadProgress) -> Void)? = nil) throws(BuildError) -> FetchedPackages {
        do {
            return try fetcher.ensureCached(lock, lockFile: lockFile.path, refresh: refreshCommand, offline: offline,
                                            progress: progress)
        } catch let DebianPackagesError.packagesUnavailable(file, missing, refresh)
            where missing.contains(where: { $0.attempts.contains { if case .checksumMismatch = $0.outcome { true } else { false } } }) {
            throw .verifyLockedPackagesFailed(reason: "\(DebianPackagesError.packagesUnavailable(lockFile: file, packages: missing, refresh: refresh))")
        } catch {
            throw .fetchPackagesFailed(reason: "\(error)")
        }
    }

    /// The sysroot and Swift SDK for `fetched` (reused when already in the cache).
    package func sdk(_ fetched: FetchedPackages, toolchain: SwiftToolchain) throws(BuildError) -> SwiftSDK {
        do {
            let sysroot = try SysrootBuilder(cache: cache).build(architecture, from: fetched)
            return try SwiftSDK.generate(in: cache, sysroot: sysroot, toolchain: toolchain)
        } catch {
            throw .stepFailed(step: "sysroot", reason: "\(error)")
        }
    }

    /// Name of the set of packages only `driverdom test`/`run` sessions use (never installed in the image).
    package static let testSetName = "test"

    /// What a session of `configuration` takes from Debian beyond the image:
    /// alsa-utils (aplay, arecord) when a layer's check runs the session kit's sound check.
    package static func testPackages(for configuration: Configuration) -> [String] {
        configuration.layers.contains { $0.check.kit.contains(.sound) } ? ["alsa-utils"] : []
    }

    /// Packages the control domain needs beyond the base image set (xenstore-read).
    package static let controlDomainPackages = ["xenstore-utils"]

    /// The digest of the lock as the plan sees it (every package's name, version, architecture, SHA256, sets).
    package static func digest(of lock: PackageLock) -> String {
        KeyHasher.sha256(lock.contentOnly.encoded())
    }

    /// The locked package named `name`, or the first whose name matches `predicate`.
    package static func package(in lock: PackageLock, where predicate: (String) -> Bool) -> LockedPackage? {
        lock.packages.sorted { $0.name < $1.name }.first { predicate($0.name) }
    }
}
