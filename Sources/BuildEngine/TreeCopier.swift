// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Copies a file, symlink or folder tree, preserving permission bits and
/// symlinks (never following them).
enum TreeCopier {
    static func copy(_ source: String, to destination: String) throws {
        guard let st = FileSystem.status(source) else {
            throw BuildEngineError.fileOperationFailed(operation: "copy", path: source, errno: ENOENT)
        }
        let parent = (destination as NSString).deletingLastPathComponent
        if !parent.isEmpty { try FileSystem.makeDirectory(parent) }
        try copyItem(source, to: destination, status: st)
        if st.isDirectory {
            for entry in try TreeWalker.entries(under: source) {
                try copyItem(source + "/" + entry.relativePath, to: destination + "/" + entry.relativePath, status: entry.status)
            }
        }
    }

    private static func copyItem(_ source: String, to destination: String, status: FileSystem.Status) throws {
        if status.isDirectory {
            if mkdir(destination, mode_t(status.mode & 0o7777) | 0o700) != 0 && errno != EEXIST {
                throw BuildEngineError.fileOperationFailed(operation: "create folder", path: destination, errno: errno)
            }
        } else if status.isSymlink {
            let target = try TreeWalker.linkTarget(source)
            guard symlink(target, destination) == 0 else {
                throw BuildEngineError.fileOperationFailed(operation: "create symlink", path: destination, errno: errno)
            }
        } else if status.isRegular {
            try copyFile(source, to: destination, mode: mode_t(status.mode & 0o7777))
        }
    }

    private static func copyFile(_ source: String, to destination: String, mode: mode_t) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw BuildEngineError.fileOperationFailed(operation: "open", path: source, errno: errno) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw BuildEngineError.fileOperationFailed(operation: "create", path: destination, errno: errno) }
        defer { close(output) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(input, buffer, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw BuildEngineError.fileOperationFailed(operation: "read", path: source, errno: errno)
            }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = write(output, buffer + written, n - written)
                if w < 0 {
                    if errno == EINTR { continue }
                    throw BuildEngineError.fileOperationFailed(operation: "write", path: destination, errno: errno)
                }
                written += w
            }
        }
        _ = fchmod(output, mode)
        _ = fsync(output)
    }
}
