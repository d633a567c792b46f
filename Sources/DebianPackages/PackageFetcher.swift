// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The packages an image needs for one architecture, grouped in named sets
/// (e.g. `sysroot`: libraries to compile against; `image`: kernel, Xen, busybox
/// and the layers' runtime packages). Each set is resolved with its dependencies.
public struct PackageRequest: Equatable, Sendable {
    public var architecture: String
    public var sets: [String: [String]]

    public init(architecture: String, sets: [String: [String]]) {
        self.architecture = architecture
        self.sets = sets.mapValues { Array(Set($0)).sorted() }
    }
}

/// Whether a fetch follows the existing lock file or resolves anew and rewrites it.
public enum LockMode: Sendable {
    /// Use the lock file; create it only when there is none.
    case useLock
    /// Resolve the current archive versions and rewrite the lock (`--update-lock`).
    case updateLock
}

/// Bytes downloaded so far out of the bytes this fetch has to download.
public struct DownloadProgress: Equatable, Sendable {
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var packagesTotal: Int

    public init(bytesDone: Int64, bytesTotal: Int64, packagesTotal: Int) {
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.packagesTotal = packagesTotal
    }
}

/// The outcome of a fetch: the lock and the verified .deb of each locked package.
public struct FetchedPackages: Equatable, Sendable {
    public var lock: PackageLock
    /// Package name → verified .deb in the cache.
    public var files: [String: URL]
    /// Names of the packages that had to be downloaded this time (empty when warm).
    public var downloaded: [String]

    /// The .deb files of set `name`, sorted by package name.
    public func debs(inSet name: String) -> [URL] {
        lock.packages(inSet: name).compactMap { files[$0.name] }
    }
}

/// Fetches target-architecture Debian packages into the build cache with a private
/// apt (`<cache>/apt/<arch>`), verifies them against the signed archive metadata and
/// keeps the lock file. Network is used only when something must be downloaded.
public struct PackageFetcher: Sendable {
    /// The build cache folder.
    public let cache: URL
    public let sources: [AptSource]
    public let keyring: String
    private let runner: any CommandRunning

    public init(cache: URL, sources: [AptSource],
                keyring: String = "/usr/share/keyrings/debian-archive-keyring.gpg",
                runner: any CommandRunning = ProcessCommandRunner()) {
        self.cache = cache
        self.sources = sources
        self.keyring = keyring
        self.runner = runner
    }

    /// The private apt of `architecture`.
    public func apt(for architecture: String) -> PrivateApt {
        PrivateApt(root: cache.appendingPathComponent("apt/\(architecture)"), architecture: architecture,
                   sources: sources, keyring: keyring, runner: runner)
    }

    /// The verified .deb files of `architecture`.
    public func store(for architecture: String) -> PackageStore {
        PackageStore(folder: apt(for: architecture).root.appendingPathComponent("archives"))
    }

    /// Makes the cache hold every package of the lock at `lockFile`, creating or
    /// (with `.updateLock`) refreshing the lock from the archive first.
    public func fetch(_ request: PackageRequest, lockFile: URL, mode: LockMode = .useLock, offline: Bool = false,
                      progress: (@Sendable (DownloadProgress) -> Void)? = nil) throws -> FetchedPackages {
        let lockExists = FileManager.default.fileExists(atPath: lockFile.path)
        let lock: PackageLock
        if mode == .updateLock || !lockExists {
            if offline {
                throw DebianPackagesError.lockOutOfDate(
                    file: lockFile.path, reason: "there is none yet, and creating it needs the network (not offline)")
            }
            lock = try resolve(request)
            try lock.write(to: lockFile)
        } else {
            lock = try PackageLock.read(from: lockFile)
            guard lock.architecture == request.architecture else {
                throw DebianPackagesError.lockOutOfDate(
                    file: lockFile.path, reason: "it is for \(lock.architecture), the image is \(request.architecture)")
            }
            guard lock.sets == request.sets else {
                throw DebianPackagesError.lockOutOfDate(file: lockFile.path,
                                                        reason: Self.describeDifference(lock.sets, request.sets))
            }
        }
        return try ensureCached(lock, offline: offline, progress: progress)
    }

    /// Resolves `request` against the current archive (after `apt-get update`) into a lock,
    /// taking every hash from indexes verified against the signed Release files.
    public func resolve(_ request: PackageRequest) throws -> PackageLock {
        let apt = apt(for: request.architecture)
        try apt.prepare()
        return try FileLock.withExclusiveLock(apt.root.appendingPathComponent("driverdom.lock")) {
            do { try apt.update() } catch let DebianPackagesError.commandFailed(_, _, output) {
                throw DebianPackagesError.indexUpdateFailed(
                    sources: sources.flatMap { $0.sourcesListLines(keyring: keyring) },
                    missing: request.sets.values.flatMap { $0 }.sorted(), output: output)
            }
            var versions: [String: String] = [:]
            var membership: [String: [String]] = [:]
            for (set, names) in request.sets.sorted(by: { $0.key < $1.key }) where !names.isEmpty {
                for (name, version) in try apt.resolveClosure(names) {
                    versions[name] = version
                    membership[name, default: []].append(set)
                }
            }
            let entries = try verifiedEntries(apt, names: Set(versions.keys))
            let packages = try versions.map { name, version -> LockedPackage in
                guard let entry = entries[name]?.first(where: { $0.version == version }) else {
                    throw DebianPackagesError.lockedVersionUnavailable(name: name, version: version,
                                                                       architecture: request.architecture)
                }
                return LockedPackage(name: name, version: version, architecture: entry.architecture,
                                     sha256: entry.sha256, size: entry.size, filename: entry.filename,
                                     sets: membership[name] ?? [])
            }
            return PackageLock(architecture: request.architecture, sets: request.sets, packages: packages)
        }
    }

    /// Downloads whatever of `lock` the cache lacks (or holds corrupt) and verifies it.
    /// Offline, a missing package is an error naming it.
    public func ensureCached(_ lock: PackageLock, offline: Bool = false, rehash: Bool = false,
                             progress: (@Sendable (DownloadProgress) -> Void)? = nil) throws -> FetchedPackages {
        let apt = apt(for: lock.architecture)
        let store = store(for: lock.architecture)
        do { try FileManager.default.createDirectory(at: store.folder, withIntermediateDirectories: true) } catch {
            throw DebianPackagesError.cacheIOFailed(path: store.folder.path, reason: "\(error)")
        }
        var missing: [LockedPackage] = []
        for package in lock.packages where try store.check(package, rehash: rehash) != .present {
            missing.append(package)
        }
        if !missing.isEmpty {
            if offline {
                throw DebianPackagesError.packagesMissingOffline(
                    missing: missing.map { "\($0.name) \($0.version)" }, cache: store.folder.path)
            }
            try apt.prepare()
            try FileLock.withExclusiveLock(apt.root.appendingPathComponent("driverdom.lock")) {
                try download(missing, apt: apt, store: store, progress: progress)
            }
        }
        var files: [String: URL] = [:]
        for package in lock.packages { files[package.name] = store.file(for: package) }
        return FetchedPackages(lock: lock, files: files, downloaded: missing.map(\.name))
    }

    private func download(_ missing: [LockedPackage], apt: PrivateApt, store: PackageStore,
                          progress: (@Sendable (DownloadProgress) -> Void)?) throws {
        do { try apt.update() } catch let DebianPackagesError.commandFailed(_, _, output) {
            throw DebianPackagesError.indexUpdateFailed(
                sources: sources.flatMap { $0.sourcesListLines(keyring: keyring) },
                missing: missing.map { "\($0.name) \($0.version)" }, output: output)
        }
        // The archive must still offer each locked version with the locked hash.
        let entries = try verifiedEntries(apt, names: Set(missing.map(\.name)))
        for package in missing {
            guard let entry = entries[package.name]?.first(where: { $0.version == package.version }) else {
                throw DebianPackagesError.lockedVersionUnavailable(name: package.name, version: package.version,
                                                                   architecture: package.architecture)
            }
            guard entry.sha256 == package.sha256 else {
                throw DebianPackagesError.packageChecksumMismatch(
                    name: package.name, version: package.version, file: entry.filename,
                    expected: package.sha256, actual: entry.sha256)
            }
        }
        AbandonedFiles.remove(in: store.folder, prefix: ".download-")
        let staging = store.folder.appendingPathComponent(".download-\(getpid())")
        try? FileManager.default.removeItem(at: staging)
        do { try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true) } catch {
            throw DebianPackagesError.cacheIOFailed(path: staging.path, reason: "\(error)")
        }
        defer { try? FileManager.default.removeItem(at: staging) }
        let total = Int64(missing.reduce(0) { $0 + $1.size })
        let monitor = progress.map { DownloadMonitor(folder: staging, total: total, count: missing.count, report: $0) }
        monitor?.start()
        let files: [String: URL]
        do {
            files = try apt.download(missing.map { ($0.name, $0.version, $0.architecture) }, into: staging)
            monitor?.stop()
        } catch {
            monitor?.stop()
            throw error
        }
        for package in missing {
            guard let file = files[package.name] else { continue }
            try store.admit(file, as: package)
        }
        progress?(DownloadProgress(bytesDone: total, bytesTotal: total, packagesTotal: missing.count))
    }

    private func verifiedEntries(_ apt: PrivateApt, names: Set<String>) throws -> [String: [IndexEntry]] {
        let signed = SignedIndex(keyring: keyring, runner: runner)
        var entries: [String: [IndexEntry]] = [:]
        for index in try apt.packageIndexes() {
            let data = try signed.verifiedContents(of: index)
            entries.merge(PackageIndex.entries(in: data, named: names)) { $0 + $1 }
        }
        return entries
    }

    private static func describeDifference(_ locked: [String: [String]], _ wanted: [String: [String]]) -> String {
        var parts: [String] = []
        for set in Set(locked.keys).union(wanted.keys).sorted() {
            let old = Set(locked[set] ?? []), new = Set(wanted[set] ?? [])
            let added = new.subtracting(old).sorted(), removed = old.subtracting(new).sorted()
            if !added.isEmpty { parts.append("set `\(set)` now also needs \(added.joined(separator: ", "))") }
            if !removed.isEmpty { parts.append("set `\(set)` no longer needs \(removed.joined(separator: ", "))") }
        }
        return parts.joined(separator: "; ")
    }
}
