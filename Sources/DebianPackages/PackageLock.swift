// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One locked binary package: exactly which file a build uses.
package struct LockedPackage: Codable, Equatable, Hashable, Sendable {
    package var name: String
    package var version: String
    /// The package's own architecture (`arm64`, `armhf` or `all`).
    package var architecture: String
    /// SHA256 of the .deb, taken from the signed archive metadata.
    package var sha256: String
    /// Size of the .deb in bytes.
    package var size: Int
    /// Path below the mirror root, e.g. `pool/main/g/glibc/libc6_2.36-9+deb12u14_arm64.deb`.
    package var filename: String
    /// Names of the package sets (e.g. `sysroot`, `image`) whose closure contains it.
    package var sets: [String]

    package init(name: String, version: String, architecture: String, sha256: String, size: Int,
                filename: String, sets: [String]) {
        self.name = name
        self.version = version
        self.architecture = architecture
        self.sha256 = sha256
        self.size = size
        self.filename = filename
        self.sets = sets.sorted()
    }

    /// File name of the .deb in the cache (the last component of `filename`).
    package var debFileName: String { URL(fileURLWithPath: filename).lastPathComponent }
}

/// The resolved package set of one image for one architecture, stored next to the
/// image config (e.g. `Images/qemu-virt-arm64.lock`) as JSON with sorted keys, so the
/// same resolution always gives the same bytes.
package struct PackageLock: Codable, Equatable, Sendable {
    /// Version of this file's format.
    package static let currentFormat = 1

    package var format: Int
    /// Debian architecture the packages are for.
    package var architecture: String
    /// Package names requested per set, sorted (the lock is valid for exactly these).
    package var sets: [String: [String]]
    /// Every package of every set's dependency closure, sorted by name.
    package var packages: [LockedPackage]
    /// The signed indexes the packages were resolved from, with their publication dates:
    /// what Debian's snapshot archive is asked for once the live index has moved on.
    /// Absent in locks written before driverdom recorded it.
    package var indexes: [LockedIndex]?

    package init(architecture: String, sets: [String: [String]], packages: [LockedPackage],
                indexes: [LockedIndex]? = nil) {
        self.format = Self.currentFormat
        self.architecture = architecture
        self.sets = sets.mapValues { Array(Set($0)).sorted() }
        self.packages = packages.sorted { $0.name < $1.name }
        self.indexes = indexes.map { Array(Set($0)).sorted { ($0.uri, $0.suite) < ($1.uri, $1.suite) } }
    }

    /// Where the lock of an image config lives: next to it, `.yaml` replaced by `.lock`
    /// (`Images/qemu-virt-arm64.yaml` → `Images/qemu-virt-arm64.lock`).
    package static func location(forImageConfig config: URL) -> URL {
        config.deletingPathExtension().appendingPathExtension("lock")
    }

    /// The packages in the closure of set `name`, sorted by name.
    package func packages(inSet name: String) -> [LockedPackage] {
        packages.filter { $0.sets.contains(name) }
    }

    /// SHA256 of the lock's content (architecture, sets, packages): the cache key of
    /// everything made from these packages. The index dates are where-to-find facts,
    /// not content, so they do not take part.
    package var key: String { FileDigest.sha256(contentOnly.encoded()) }

    /// This lock without its index dates.
    package var contentOnly: PackageLock {
        var copy = self
        copy.indexes = nil
        return copy
    }

    /// The deterministic file contents.
    package func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return data + Data("\n".utf8)
    }

    /// Reads and checks a lock file.
    package static func read(from url: URL) throws -> PackageLock {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DebianPackagesError.lockReadFailed(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let lock: PackageLock
        do { lock = try JSONDecoder().decode(PackageLock.self, from: data) } catch {
            throw DebianPackagesError.lockReadFailed(file: url.path, reason: "not a valid lock: \(error)")
        }
        guard lock.format == currentFormat else {
            throw DebianPackagesError.lockReadFailed(file: url.path,
                                                     reason: "format \(lock.format), this driverdom reads \(currentFormat)")
        }
        for package in lock.packages where package.sha256.count != 64 || package.name.isEmpty {
            throw DebianPackagesError.lockReadFailed(file: url.path, reason: "bad entry for package `\(package.name)`")
        }
        return lock
    }

    /// Writes the lock atomically; a file that already has these bytes is left untouched.
    package func write(to url: URL) throws {
        let data = encoded()
        if (try? Data(contentsOf: url)) == data { return }
        do { try data.write(to: url, options: .atomic) } catch {
            throw DebianPackagesError.cacheIOFailed(path: url.path, reason: "\(error)")
        }
    }
}
