// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DebianPackages
import DriverdomBuild
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the end-to-end tests share: the package cache of the user's build cache
/// (`$DRIVERDOM_CACHE`, else `$XDG_CACHE_HOME/driverdom`, else `~/.cache/driverdom`:
/// the one `driverdom build` and the other end-to-end tests use, so a package is
/// downloaded once per machine), the host's Debian sources, and one fetch per
/// architecture for the whole test run.
enum TestEnvironment {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let cache: URL = BuildLocations(output: nil, cache: nil).packageCache

    static let sources: [AptSource] = (try? AptSource.hostDebianSources()) ?? []

    static let keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

    static func lockFile(_ architecture: TargetArchitecture) -> URL {
        cache.appendingPathComponent("test-locks/\(architecture.debian).lock")
    }

    static func request(_ architecture: TargetArchitecture) -> PackageRequest {
        PackageRequest(architecture: architecture.debian,
                       sets: [BasePackageSets.sysrootSetName: BasePackageSets.sysroot])
    }

    static func hasTool(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }

    /// The host tools fetching and assembling need.
    static let hasHostTools = ["apt-get", "gpgv", "dpkg-deb"].allSatisfy(hasTool)
        && FileManager.default.fileExists(atPath: keyring)

    /// Whether the first Debian mirror answers within five seconds.
    static let mirrorReachable: Bool = {
        guard let source = sources.first, let suite = source.suites.first,
              let url = URL(string: "\(source.uri)/dists/\(suite)/InRelease") else { return false }
        var request = URLRequest(url: url, timeoutInterval: 5)
        request.httpMethod = "HEAD"
        let done = DispatchSemaphore(value: 0)
        let result = Box(false)
        URLSession.shared.dataTask(with: request) { _, response, _ in
            result.value = (response as? HTTPURLResponse)?.statusCode == 200
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 6)
        return result.value
    }()

    /// Whether the cache already holds every package of the architecture's test lock.
    static func warm(_ architecture: TargetArchitecture) -> Bool {
        guard let lock = try? PackageLock.read(from: lockFile(architecture)) else { return false }
        let store = fetcher().store(for: architecture.debian)
        return lock.packages.allSatisfy { FileManager.default.fileExists(atPath: store.file(for: $0).path) }
    }

    static func packagesAvailable(_ architecture: TargetArchitecture) -> Bool {
        hasHostTools && (warm(architecture) || mirrorReachable)
    }

    static func fetcher(sources: [AptSource] = sources, cache: URL = cache) -> PackageFetcher {
        PackageFetcher(cache: cache, sources: sources, keyring: keyring)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var fetched: [TargetArchitecture: FetchedPackages] = [:]

    /// The sysroot set of `architecture`, fetched once per test run (serially).
    static func fetch(_ architecture: TargetArchitecture) throws -> FetchedPackages {
        lock.lock()
        defer { lock.unlock() }
        if let done = fetched[architecture] { return done }
        try FileManager.default.createDirectory(at: lockFile(architecture).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let start = ContinuousClock.now
        let result: FetchedPackages
        do {
            result = try fetcher().fetch(request(architecture), lockFile: lockFile(architecture))
        } catch let DebianPackagesError.indexUpdateFailed(_, _, output)
            where ["Mirror sync in progress", "Hash Sum mismatch", "unexpected size"].contains(where: output.contains) {
            // The mirror serves indexes that do not match its signed Release file; apt
            // refuses them, as it should, and there is nothing to test until it is consistent.
            let failure = output.split(separator: "\n").first { $0.hasPrefix("E:") } ?? ""
            try Test.cancel("the Debian mirror is inconsistent for \(architecture.debian), apt refused it: \(failure)")
        }
        report("fetch \(architecture.debian): \(result.downloaded.count) downloaded", since: start)
        fetched[architecture] = result
        return result
    }

    /// Prints one timing line (collected for the benchmark notes).
    static func report(_ what: String, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        print("timing: \(what) in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))")
    }
}

/// A value set from a callback thread and read after it signalled.
// @unchecked Sendable: `stored` is read and written only under `lock` (a callback
// may still write after a timed-out wait).
final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
    init(_ value: T) { stored = value }
}

/// A fresh folder under the system temporary folder, removed when released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
