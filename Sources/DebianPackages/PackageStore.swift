// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The verified .deb files of one architecture in the build cache,
/// `<cache>/apt/<arch>/archives/<file>.deb`. A file is trusted only after its SHA256
/// matched the lock; a `<file>.deb.verified` stamp records that together with the
/// file's size, modification time and inode, so an unchanged file is not hashed
/// again and any change to it (corruption, truncation, replacement) is re-checked.
package struct PackageStore: Sendable {
    /// Folder holding the .deb files.
    package let folder: URL

    package init(folder: URL) { self.folder = folder }

    /// Where the cache keeps `package`.
    package func file(for package: LockedPackage) -> URL {
        folder.appendingPathComponent(package.debFileName)
    }

    /// Result of checking the cache for one package.
    package enum State: Equatable, Sendable {
        case present
        case missing
        /// The file did not match the lock and was deleted.
        case corrupt(actualSHA256: String)
    }

    /// Checks the cached file of `package`; a corrupt one is deleted.
    /// `rehash` ignores the stamp and hashes the file.
    package func check(_ package: LockedPackage, rehash: Bool = false) throws -> State {
        let url = file(for: package)
        guard let identity = Self.identity(of: url) else { return .missing }
        let stamp = stampURL(url)
        if !rehash, (try? String(contentsOf: stamp, encoding: .utf8)) == "\(package.sha256) \(identity)\n" {
            return .present
        }
        let actual = try FileDigest.sha256(of: url)
        guard actual == package.sha256 else {
            try? FileManager.default.removeItem(at: url)
            try? FileManager.default.removeItem(at: stamp)
            return .corrupt(actualSHA256: actual)
        }
        try writeStamp(for: url, sha256: actual)
        return .present
    }

    /// Verifies a freshly downloaded file against the lock and moves it into the store.
    package func admit(_ download: URL, as package: LockedPackage) throws {
        let actual = try FileDigest.sha256(of: download)
        guard actual == package.sha256 else {
            try? FileManager.default.removeItem(at: download)
            throw DebianPackagesError.packageChecksumMismatch(name: package.name, version: package.version,
                                                              file: download.path, expected: package.sha256,
                                                              actual: actual)
        }
        let target = file(for: package)
        guard rename(download.path, target.path) == 0 else {
            throw DebianPackagesError.cacheIOFailed(path: target.path, reason: String(cString: strerror(errno)))
        }
        try writeStamp(for: target, sha256: actual)
    }

    /// Moves a file whose SHA256 the caller has just checked against the lock into
    /// the store, and stamps it.
    func admitVerified(_ file: URL, as package: LockedPackage) throws {
        let target = self.file(for: package)
        guard rename(file.path, target.path) == 0 else {
            throw DebianPackagesError.cacheIOFailed(path: target.path, reason: String(cString: strerror(errno)))
        }
        try writeStamp(for: target, sha256: package.sha256)
    }

    private func stampURL(_ url: URL) -> URL { url.appendingPathExtension("verified") }

    private func writeStamp(for url: URL, sha256: String) throws {
        guard let identity = Self.identity(of: url) else {
            throw DebianPackagesError.cacheIOFailed(path: url.path, reason: "vanished while being verified")
        }
        do {
            try "\(sha256) \(identity)\n".write(to: stampURL(url), atomically: true, encoding: .utf8)
        } catch {
            throw DebianPackagesError.cacheIOFailed(path: stampURL(url).path, reason: "\(error)")
        }
    }

    /// Size, modification time (ns) and inode of a regular file, or nil if there is none.
    static func identity(of url: URL) -> String? {
        var info = stat()
        guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return "\(info.st_size) \(mtime) \(info.st_ino)"
    }
}
