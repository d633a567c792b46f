// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The content-addressed step cache in a caller-chosen folder:
///
///     <cache>/steps/<key>/manifest.json   written after the outputs
///     <cache>/steps/<key>/out/...         the step's outputs (read-only use)
///     <cache>/tmp/<random>/               entries being written
///     <cache>/locks/<key>.lock            per-key flock while building a key
///     <cache>/cache.lock                  shared by builds, exclusive by clean
///     <cache>/file-hashes.json            the stat-keyed input hash cache
///
/// An entry becomes visible only by `rename(2)` of a complete temporary
/// folder, so a build killed at any point leaves nothing half-written under
/// `steps/`. An entry whose manifest is missing or does not match its files is
/// treated as absent, moved away and rebuilt.
// @unchecked Sendable: `cacheLock`, the only mutable state, is set by `beginUse` and
// cleared by `endUse`, which the engine calls on its coordinating thread before the
// first step starts and after the last ends; step workers only read `root`.
package final class CacheStore: @unchecked Sendable {
    /// The cache folder.
    package let root: String
    private var cacheLock: FileLock?

    /// A valid entry found in or stored to the cache.
    package struct Entry: Sendable {
        /// The entry's manifest.
        package let manifest: OutputManifest
        /// The folder holding the outputs.
        package let outputDirectory: URL
    }

    /// Opens (creating) the cache at `root`.
    package init(root: String) throws {
        self.root = root
        for sub in ["steps", "tmp", "locks"] { try FileSystem.makeDirectory(root + "/" + sub) }
    }

    var stepsDirectory: String { root + "/steps" }
    var temporaryDirectory: String { root + "/tmp" }
    var hashCachePath: String { root + "/file-hashes.json" }

    /// Registers this process as a user of the cache (shared lock held until
    /// `endUse`). If no other process uses it, leftover temporary folders of
    /// killed builds are removed first.
    package func beginUse() throws {
        let lock = try FileLock(path: root + "/cache.lock")
        if try lock.tryLockExclusive() {
            for name in FileSystem.children(temporaryDirectory) { try? FileSystem.remove(temporaryDirectory + "/" + name) }
        }
        try lock.lockShared()
        cacheLock = lock
    }

    /// Releases the shared lock taken by `beginUse`.
    package func endUse() {
        cacheLock?.unlock()
        cacheLock = nil
    }

    /// Holds the per-key lock while `body` runs, so two processes never build
    /// the same key at once (the second waits, then finds the entry). While
    /// waiting, a cancelled `cancellation` ends the wait with `interrupted`.
    func withKeyLock<T>(_ key: String, cancellation: CancellationToken? = nil, _ body: () throws -> T) throws -> T {
        let lock = try FileLock(path: root + "/locks/" + key + ".lock")
        while try !lock.tryLockExclusive() {
            if cancellation?.isCancelled == true { throw BuildEngineError.interrupted }
            usleep(20_000)
        }
        defer { lock.unlock() }
        return try body()
    }

    /// The entry for `key` if present and valid (`full`: re-hash files). An
    /// invalid entry is discarded and nil returned.
    func lookup(_ key: String, full: Bool) throws -> Entry? {
        let folder = stepsDirectory + "/" + key
        guard FileSystem.status(folder) != nil else { return nil }
        if let manifest = OutputManifest.load(folder + "/manifest.json"), manifest.key == key,
           manifest.matches(folder + "/out", full: full) {
            return Entry(manifest: manifest, outputDirectory: URL(fileURLWithPath: folder + "/out"))
        }
        try discard(folder)
        return nil
    }

    /// A fresh temporary folder with an empty `out/` subfolder.
    func makeTemporaryEntry() throws -> String {
        let folder = temporaryDirectory + "/" + FileSystem.randomToken()
        try FileSystem.makeDirectory(folder + "/out")
        return folder
    }

    /// Scans a finished temporary entry, writes its manifest last and renames
    /// it into place. If an entry for the key already exists (another process
    /// won, or `replace` is false), the existing one is kept when valid.
    /// With `replace`, a valid existing entry whose content differs is swapped
    /// out for the new one (forced steps refresh their entry).
    func commit(temporary: String, key: String, step: StepID, replace: Bool) throws -> Entry {
        let manifest = try OutputManifest.scan(temporary + "/out", key: key, step: step)
        try FileSystem.writeFile(temporary + "/manifest.json", try manifest.encoded())
        let folder = stepsDirectory + "/" + key
        if let existing = try lookup(key, full: replace) {
            if !replace || existing.manifest.digest == manifest.digest {
                try FileSystem.remove(temporary)
                return existing
            }
            try discard(folder)
        }
        if try !FileSystem.rename(temporary, to: folder) {
            // Another writer got there first; keep its entry if it is valid.
            try FileSystem.remove(temporary)
            if let existing = try lookup(key, full: false) { return existing }
            throw BuildEngineError.fileOperationFailed(operation: "store cache entry", path: folder, errno: EEXIST)
        }
        FileSystem.syncDirectory(stepsDirectory)
        return Entry(manifest: manifest, outputDirectory: URL(fileURLWithPath: folder + "/out"))
    }

    /// Moves an entry out of `steps/` atomically, then deletes it.
    private func discard(_ folder: String) throws {
        let trash = temporaryDirectory + "/discard-" + FileSystem.randomToken()
        if Glibc.rename(folder, trash) == 0 {
            try FileSystem.remove(trash)
        } else if errno != ENOENT {
            throw BuildEngineError.fileOperationFailed(operation: "discard invalid cache entry", path: folder, errno: errno)
        }
    }

    /// Checks every entry by re-hashing; discards invalid ones. Returns the
    /// keys of discarded entries.
    package func verifyAll() throws -> [String] {
        var discarded: [String] = []
        for key in FileSystem.children(stepsDirectory) {
            let valid = try withKeyLock(key) { try lookup(key, full: true) != nil }
            if !valid { discarded.append(key) }
        }
        return discarded
    }

    /// Removes everything in the cache folder. Fails with `cacheBusy` while
    /// another process is building with it.
    package static func removeAll(root: String) throws {
        guard FileSystem.status(root) != nil else { return }
        let lock = try FileLock(path: root + "/cache.lock")
        guard try lock.tryLockExclusive() else { throw BuildEngineError.cacheBusy(path: root) }
        defer { lock.unlock() }
        for name in FileSystem.children(root) where name != "cache.lock" {
            try FileSystem.remove(root + "/" + name)
        }
    }

    /// Removes the temporary folders of the cache (when nobody is using it).
    package static func removeTemporaries(root: String) throws {
        guard FileSystem.status(root + "/tmp") != nil else { return }
        let lock = try FileLock(path: root + "/cache.lock")
        guard try lock.tryLockExclusive() else { throw BuildEngineError.cacheBusy(path: root) }
        defer { lock.unlock() }
        for name in FileSystem.children(root + "/tmp") { try FileSystem.remove(root + "/tmp/" + name) }
    }
}
