// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The packages an image needs for one architecture, grouped in named sets
/// (e.g. `sysroot`: libraries to compile against; `image`: kernel, Xen, busybox
/// and the layers' runtime packages). Each set is resolved with its dependencies.
package struct PackageRequest: Equatable, Sendable {
    package var architecture: String
    package var sets: [String: [String]]

    package init(architecture: String, sets: [String: [String]]) {
        self.architecture = architecture
        self.sets = sets.mapValues { Array(Set($0)).sorted() }
    }
}

/// Bytes downloaded so far out of the bytes this fetch has to download.
package struct DownloadProgress: Equatable, Sendable {
    package var bytesDone: Int64
    package var bytesTotal: Int64
    package var packagesTotal: Int

    package init(bytesDone: Int64, bytesTotal: Int64, packagesTotal: Int) {
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.packagesTotal = packagesTotal
    }
}

/// The outcome of a fetch: the lock and the verified .deb of each locked package.
package struct FetchedPackages: Equatable, Sendable {
    package var lock: PackageLock
    /// Package name → verified .deb in the cache.
    package var files: [String: URL]
    /// Names of the packages that had to be downloaded this time (empty when warm).
    package var downloaded: [String]

    /// The .deb files of set `name`, sorted by package name.
    package func debs(inSet name: String) -> [URL] {
        lock.packages(inSet: name).compactMap { files[$0.name] }
    }
}

/// Fetches target-architecture Debian packages into the build cache and keeps the
/// lock file. Resolving (making a lock) uses a private apt (`<cache>/apt/<arch>`) and
/// takes every hash from indexes verified against the signed Release files.
/// Fetching follows the lock, not today's index: each locked file is fetched by its
/// pool path from the places ``PackageOrigins`` lists and admitted only if its SHA256
/// is the lock's. Network is used only when something must be downloaded.
package struct PackageFetcher: Sendable {
    /// The build cache folder.
    package let cache: URL
    package let sources: [AptSource]
    package let keyring: String
    /// Where locked files are looked for when the cache lacks them.
    package let origins: PackageOrigins
    private let runner: any CommandRunning
    private let downloader: any PackageDownloading

    package init(cache: URL, sources: [AptSource],
                keyring: String = "/usr/share/keyrings/debian-archive-keyring.gpg",
                origins: PackageOrigins? = nil,
                runner: any CommandRunning = ProcessCommandRunner(),
                downloader: (any PackageDownloading)? = nil) {
        self.cache = cache
        self.sources = sources
        self.keyring = keyring
        self.origins = origins ?? PackageOrigins.forSources(sources)
        self.runner = runner
        self.downloader = downloader ?? CurlPackageDownloader(runner: runner)
    }

    /// The private apt of `architecture`.
    package func apt(for architecture: String) -> PrivateApt {
        PrivateApt(root: cache.appendingPathComponent("apt/\(architecture)"), architecture: architecture,
                   sources: sources, keyring: keyring, runner: runner)
    }

    /// The verified .deb files of `architecture`.
    package func store(for architecture: String) -> PackageStore {
        PackageStore(folder: apt(for: architecture).root.appendingPathComponent("archives"))
    }

    /// Makes the cache hold every package of the lock at `lockFile`, creating the
    /// lock from the archive first when there is none (refreshing an existing one is
    /// ``resolve(_:)``'s job, asked for explicitly).
    package func fetch(_ request: PackageRequest, lockFile: URL, offline: Bool = false,
                      progress: (@Sendable (DownloadProgress) -> Void)? = nil) throws -> FetchedPackages {
        let lock: PackageLock
        if !FileManager.default.fileExists(atPath: lockFile.path) {
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
        return try ensureCached(lock, lockFile: lockFile.path, offline: offline, progress: progress)
    }

    /// Resolves `request` against the current archive (after `apt-get update`) into a lock,
    /// taking every hash from indexes verified against the signed Release files.
    package func resolve(_ request: PackageRequest) throws -> PackageLock {
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
            let sets = request.sets.sorted(by: { $0.key < $1.key }).filter { !$0.value.isEmpty }
            for (set, closure) in try zip(sets.map(\.key), Self.closures(of: sets.map(\.value), apt: apt)) {
                for (name, version) in closure {
                    versions[name] = version
                    membership[name, default: []].append(set)
                }
            }
            let (entries, indexes) = try verifiedEntries(apt, names: Set(versions.keys))
            let packages = try versions.map { name, version -> LockedPackage in
                guard let entry = entries[name]?.first(where: { $0.version == version }) else {
                    throw DebianPackagesError.lockedVersionUnavailable(name: name, version: version,
                                                                       architecture: request.architecture)
                }
                return LockedPackage(name: name, version: version, architecture: entry.architecture,
                                     sha256: entry.sha256, size: entry.size, filename: entry.filename,
                                     sets: membership[name] ?? [])
            }
            return PackageLock(architecture: request.architecture, sets: request.sets, packages: packages,
                               indexes: indexes)
        }
    }

    /// What `apt list --upgradable` says of `lock` after `apt-get update` in the private
    /// apt: each locked package whose version is not the newest the signed indexes
    /// offer (or which they no longer list), sorted by name. Empty when the lock is
    /// current. Much cheaper than ``resolve(_:)``: no dependency resolution.
    package func upgradable(_ lock: PackageLock) throws -> [LockChange] {
        let apt = apt(for: lock.architecture)
        try apt.prepare()
        return try FileLock.withExclusiveLock(apt.root.appendingPathComponent("driverdom.lock")) {
            do { try apt.update() } catch let DebianPackagesError.commandFailed(_, _, output) {
                throw DebianPackagesError.indexUpdateFailed(
                    sources: sources.flatMap { $0.sourcesListLines(keyring: keyring) }, missing: [], output: output)
            }
            let (entries, _) = try verifiedEntries(apt, names: Set(lock.packages.map(\.name)))
            var changes: [LockChange] = []
            for package in lock.packages {
                guard let newest = entries[package.name]?.max(by: { DebianVersion($0.version) < DebianVersion($1.version) })
                else {
                    changes.append(.withdrawn(name: package.name, version: package.version,
                                              architecture: package.architecture))
                    continue
                }
                if DebianVersion(newest.version) != DebianVersion(package.version) {
                    changes.append(.upgraded(name: package.name, from: package.version, to: newest.version,
                                             architecture: newest.architecture))
                } else if newest.sha256 != package.sha256 {
                    changes.append(.rebuilt(name: package.name, version: package.version,
                                            architecture: package.architecture))
                }
            }
            return changes.sorted { $0.name < $1.name }
        }
    }

    /// Downloads whatever of `lock` the cache lacks (or holds corrupt) and verifies it.
    /// Offline, a missing package is an error naming it. Either every missing package
    /// is fetched with the locked bytes, or nothing is added to the cache and the
    /// error lists each package with every place tried. `lockFile` and `refresh`
    /// (the command that refreshes the lock) only word that error.
    package func ensureCached(_ lock: PackageLock, lockFile: String = "the lock file", refresh: String? = nil,
                             offline: Bool = false, rehash: Bool = false,
                             progress: (@Sendable (DownloadProgress) -> Void)? = nil) throws -> FetchedPackages {
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
            try FileLock.withExclusiveLock(store.folder.appendingPathComponent(".driverdom.lock")) {
                // Another build sharing the cache may have fetched some meanwhile.
                let still = try missing.filter { try store.check($0) != .present }
                guard !still.isEmpty else { return }
                try download(still, lock: lock, lockFile: lockFile, refresh: refresh, store: store, progress: progress)
            }
        }
        var files: [String: URL] = [:]
        for package in lock.packages { files[package.name] = store.file(for: package) }
        return FetchedPackages(lock: lock, files: files, downloaded: missing.map(\.name))
    }

    private func download(_ missing: [LockedPackage], lock: PackageLock, lockFile: String, refresh: String?,
                          store: PackageStore, progress: (@Sendable (DownloadProgress) -> Void)?) throws {
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
        let outcome = fetchByPoolPath(missing, indexes: lock.indexes, into: staging)
        monitor?.stop()
        let unavailable = missing.compactMap { package -> UnavailablePackage? in
            outcome.verified[package.name] == nil
                ? UnavailablePackage(package: package, attempts: outcome.attempts[package.name] ?? [],
                                     notTried: outcome.notTried[package.name] ?? [])
                : nil
        }
        guard unavailable.isEmpty else {
            throw DebianPackagesError.packagesUnavailable(lockFile: lockFile, packages: unavailable,
                                                          refresh: refresh ?? "driverdom lock IMAGE")
        }
        for package in missing {
            guard let file = outcome.verified[package.name] else { continue }
            try store.admitVerified(file, as: package)
        }
        progress?(DownloadProgress(bytesDone: total, bytesTotal: total, packagesTotal: missing.count))
    }

    /// Tries each package's places in order, in rounds (every pending package's next
    /// place at once), keeping a file only when its SHA256 is the locked one.
    private func fetchByPoolPath(_ packages: [LockedPackage], indexes: [LockedIndex]?, into staging: URL)
        -> (verified: [String: URL], attempts: [String: [FetchAttempt]], notTried: [String: [String]]) {
        var places: [String: [PackagePlace]] = [:]
        var notTried: [String: [String]] = [:]
        for package in packages {
            let found = origins.places(for: package, indexes: indexes)
            places[package.name] = found.places
            notTried[package.name] = found.skipped
        }
        var verified: [String: URL] = [:]
        var attempts: [String: [FetchAttempt]] = [:]
        var round = 0
        while true {
            let batch = packages.filter { verified[$0.name] == nil && round < (places[$0.name]?.count ?? 0) }
            guard !batch.isEmpty else { break }
            let transfers = batch.map { package in
                PackageTransfer(place: places[package.name]![round],
                                destination: staging.appendingPathComponent(package.debFileName))
            }
            let results = downloader.fetch(transfers)
            for (package, (transfer, failure)) in zip(batch, zip(transfers, results)) {
                let place = transfer.place
                if let failure {
                    attempts[package.name, default: []].append(FetchAttempt(place: place, outcome: .failed(failure)))
                    continue
                }
                let actual: String
                do { actual = try FileDigest.sha256(of: transfer.destination) } catch {
                    attempts[package.name, default: []].append(FetchAttempt(place: place, outcome: .failed("\(error)")))
                    continue
                }
                if actual == package.sha256 {
                    verified[package.name] = transfer.destination
                } else {
                    try? FileManager.default.removeItem(at: transfer.destination)
                    attempts[package.name, default: []].append(
                        FetchAttempt(place: place, outcome: .checksumMismatch(actual: actual)))
                }
            }
            round += 1
        }
        return (verified, attempts, notTried)
    }

    /// Each set's closure, resolved by one `apt-get --simulate` per set: the first
    /// alone (it builds apt's package cache), the others at once (they only read it).
    private static func closures(of sets: [[String]], apt: PrivateApt) throws -> [[String: String]] {
        guard let first = sets.first else { return [] }
        var results: [Result<[String: String], Error>] = [.success(try apt.resolveClosure(first))]
        let rest = Array(sets.dropFirst())
        let box = ResultBox(count: rest.count)
        DispatchQueue.concurrentPerform(iterations: rest.count) { index in
            box.set(index, Result { try apt.resolveClosure(rest[index]) })
        }
        results += box.results
        return try results.map { try $0.get() }
    }

    private func verifiedEntries(_ apt: PrivateApt, names: Set<String>) throws
        -> (entries: [String: [IndexEntry]], indexes: [LockedIndex]) {
        let signed = SignedIndex(keyring: keyring, runner: runner)
        var entries: [String: [IndexEntry]] = [:]
        var indexes: [LockedIndex] = []
        for index in try apt.packageIndexes() {
            let (data, date) = try signed.verified(index)
            entries.merge(PackageIndex.entries(in: data, named: names)) { $0 + $1 }
            if let uri = index.repositoryURI, let suite = index.suite, let date {
                indexes.append(LockedIndex(uri: uri, suite: suite, date: date))
            }
        }
        return (entries, indexes)
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

/// Collects the results of concurrent closure resolutions.
// @unchecked Sendable: `stored` is read and written only under `lock`.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<[String: String], Error>]

    init(count: Int) { stored = Array(repeating: .success([:]), count: count) }

    func set(_ index: Int, _ result: Result<[String: String], Error>) {
        lock.lock()
        stored[index] = result
        lock.unlock()
    }

    var results: [Result<[String: String], Error>] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
