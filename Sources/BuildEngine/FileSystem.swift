// SPDX-License-Identifier: Apache-2.0
import CGlibcGNU
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The few POSIX file operations the engine needs, with errors that carry the
/// path and errno. `rename(2)` is the atomicity primitive of the cache.
enum FileSystem {
    /// `stat` fields used by the cache's quick checks.
    struct Status: Equatable {
        var size: Int64
        var mtimeNanoseconds: Int64
        var inode: UInt64
        var device: UInt64
        var mode: UInt32
        var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
        var isRegular: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
        var isSymlink: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }
        var isExecutable: Bool { mode & 0o111 != 0 }
    }

    /// `lstat(2)` (or `stat(2)` when `following` symlinks); nil when the path
    /// does not exist.
    static func status(_ path: String, following: Bool = false) -> Status? {
        var st = stat()
        guard (following ? stat(path, &st) : lstat(path, &st)) == 0 else { return nil }
        return Status(size: Int64(st.st_size),
                      mtimeNanoseconds: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                      inode: UInt64(st.st_ino), device: UInt64(st.st_dev), mode: UInt32(st.st_mode))
    }

    /// `mkdir -p`.
    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BuildEngineError.fileOperationFailed(operation: "create folder", path: path, errno: errno == 0 ? EIO : errno)
        }
    }

    /// `rename(2)`; returns false (without throwing) when the destination is a
    /// non-empty folder, i.e. another writer got there first.
    @discardableResult
    static func rename(_ from: String, to: String) throws -> Bool {
        if Glibc.rename(from, to) == 0 { return true }
        let code = errno
        if code == ENOTEMPTY || code == EEXIST { return false }
        throw BuildEngineError.fileOperationFailed(operation: "rename to '\(to)'", path: from, errno: code)
    }

    /// Atomically exchanges two paths with `renameat2(RENAME_EXCHANGE)`;
    /// returns false when the kernel or file system does not support it.
    static func exchange(_ a: String, _ b: String) -> Bool {
        cglibc_rename_exchange(a, b) == 0
    }

    /// Removes a file or folder tree; a missing path is not an error.
    static func remove(_ path: String) throws {
        guard status(path) != nil else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            if status(path) == nil { return }
            throw BuildEngineError.fileOperationFailed(operation: "remove", path: path, errno: errno == 0 ? EIO : errno)
        }
    }

    /// Writes data to a new file and fsyncs it.
    static func writeFile(_ path: String, _ data: Data) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BuildEngineError.fileOperationFailed(operation: "create", path: path, errno: errno) }
        defer { close(fd) }
        var offset = 0
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BuildEngineError.fileOperationFailed(operation: "write", path: path, errno: errno)
                }
                offset += n
            }
        }
        _ = fsync(fd)
    }

    /// Writes a file atomically: a sibling temporary file, then `rename(2)`.
    static func writeFileAtomically(_ path: String, _ data: Data) throws {
        let temporary = path + ".tmp-\(getpid())-\(randomToken())"
        try writeFile(temporary, data)
        guard Glibc.rename(temporary, path) == 0 else {
            let code = errno
            try? remove(temporary)
            throw BuildEngineError.fileOperationFailed(operation: "rename into place", path: path, errno: code)
        }
    }

    /// fsyncs a folder so a rename inside it is durable.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// 16 random hex digits for unique temporary names.
    static func randomToken() -> String {
        String(format: "%016llx", UInt64.random(in: 0...UInt64.max))
    }

    /// Entries of a folder (names only), sorted; empty if it cannot be read.
    static func children(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// Whether a process with this id exists (`kill(pid, 0)`).
    static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
