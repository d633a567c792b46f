// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Remembers the SHA-256 of input files keyed by path, size, mtime (ns), inode
/// and device, so a no-op build re-hashes nothing: a file whose `stat` fields
/// are unchanged is trusted. Entries recorded less than `racyWindow` after the
/// file's mtime are not trusted (the file might change again within the same
/// timestamp tick), the same rule git uses for its index.
///
/// Persisted as JSON at `path`; saved atomically; safe to share between
/// threads. Two processes may overwrite each other's file: it is only a hint,
/// every entry is re-validated against `stat`.
// @unchecked Sendable: `entries` and `dirty` are read and written only under `lock`;
// the rest is immutable.
package final class FileHashCache: @unchecked Sendable {
    struct Entry: Codable {
        var size: Int64
        var mtime: Int64
        var inode: UInt64
        var device: UInt64
        var sha256: String
        var recordedAt: Int64
    }

    private let path: String?
    private let lock = NSLock()
    private var entries: [String: Entry]
    private var dirty = false
    private let racyWindow: Int64 = 2_000_000_000

    /// Loads the cache from `path` (nil: in memory only). A missing or
    /// unreadable file starts an empty cache.
    package init(path: String?) {
        self.path = path
        if let path, let data = FileManager.default.contents(atPath: path),
           let decoded = try? JSONDecoder().decode([String: Entry].self, from: data) {
            entries = decoded
        } else {
            entries = [:]
        }
    }

    /// SHA-256 (hex) of the file at `path`, from the cache when its `stat`
    /// fields match, else by reading it.
    package func sha256(ofFile path: String) throws -> String {
        try hash(ofFile: path).sha256
    }

    /// The hash and the `stat` fields it belongs to.
    func hash(ofFile path: String) throws -> (sha256: String, status: FileSystem.Status) {
        guard let st = FileSystem.status(path, following: true) else {
            throw BuildEngineError.fileOperationFailed(operation: "stat", path: path, errno: ENOENT)
        }
        lock.lock()
        let cached = entries[path]
        lock.unlock()
        if let cached, cached.size == st.size, cached.mtime == st.mtimeNanoseconds,
           cached.inode == st.inode, cached.device == st.device,
           cached.recordedAt - cached.mtime >= racyWindow {
            return (cached.sha256, st)
        }
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        let digest = try ContentHasher.sha256(ofFile: path)
        lock.lock()
        entries[path] = Entry(size: st.size, mtime: st.mtimeNanoseconds, inode: st.inode,
                              device: st.device, sha256: digest, recordedAt: now)
        dirty = true
        lock.unlock()
        return (digest, st)
    }

    /// Writes the cache if anything changed since it was loaded.
    package func save() throws {
        lock.lock()
        defer { lock.unlock() }
        guard dirty, let path else { return }
        let data = try JSONEncoder().encode(entries)
        try FileSystem.writeFileAtomically(path, data)
        dirty = false
    }
}
