// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly

/// Writes a staged tree into a real folder for tools that read one
/// (`mke2fs -d`, `mcopy`), with every timestamp — the root's too — set to the
/// epoch. Device nodes and fifos are not created (an unprivileged build
/// cannot); writers add them with their own means.
enum StagingDirectory {
    static func materialize(_ tree: StagedTree, at root: String, epoch: UInt32) throws(ImageFormatsError) {
        try makeDirectory(root)
        let entries = tree.sortedEntries()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        for entry in entries {
            let path = root + entry.path
            switch entry.kind {
            case .directory:
                try makeDirectory(path)
            case let .regularFile(content):
                try write(content, to: path, stagedPath: entry.path, buffer: buffer)
                guard chmod(path, mode_t(entry.permissions)) == 0 else { throw .fileWriteFailed(path: path, errno: errno) }
            case let .symlink(target):
                guard symlink(target, path) == 0 else { throw .fileWriteFailed(path: path, errno: errno) }
            case .characterDevice, .blockDevice, .fifo:
                continue
            }
        }
        // Children first, so neither creating entries nor a read-only
        // directory mode gets in the way; the root last.
        for entry in entries.reversed() {
            switch entry.kind {
            case .directory:
                guard chmod(root + entry.path, mode_t(entry.permissions)) == 0 else {
                    throw .fileWriteFailed(path: root + entry.path, errno: errno)
                }
            case .characterDevice, .blockDevice, .fifo:
                continue
            default:
                break
            }
            try setTimes(root + entry.path, epoch: epoch)
        }
        guard chmod(root, mode_t(tree.rootPermissions)) == 0 else { throw .fileWriteFailed(path: root, errno: errno) }
        try setTimes(root, epoch: epoch)
    }

    private static func write(_ content: FileContent, to path: String, stagedPath: String,
                              buffer: UnsafeMutableRawBufferPointer) throws(ImageFormatsError) {
        let target = try PositionalFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        switch content {
        case let .bytes(bytes):
            try target.write(bytes, at: 0)
        case let .file(source):
            let input: PositionalFile
            do throws(ImageFormatsError) { input = try PositionalFile(path: source, flags: O_RDONLY) } catch {
                throw .stageEntryFailed(path: stagedPath, underlying: .readContentFailed(path: source, errno: error.errnoValue))
            }
            var offset: UInt64 = 0
            while true {
                let count = try input.read(into: buffer, at: offset)
                if count == 0 { break }
                try target.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), at: offset)
                offset += UInt64(count)
            }
        }
    }

    private static func makeDirectory(_ path: String) throws(ImageFormatsError) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw .fileWriteFailed(path: path, errno: errno) }
    }

    private static func setTimes(_ path: String, epoch: UInt32) throws(ImageFormatsError) {
        var times = [timespec(tv_sec: Int(epoch), tv_nsec: 0), timespec(tv_sec: Int(epoch), tv_nsec: 0)]
        guard utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .fileWriteFailed(path: path, errno: errno)
        }
    }

    /// A fresh temporary folder; the caller removes it with `remove`.
    static func temporaryDirectory(prefix: String) throws(ImageFormatsError) -> String {
        var template = Array((NSTemporaryDirectory() + "/" + prefix + ".XXXXXX").utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .fileWriteFailed(path: NSTemporaryDirectory(), errno: errno)
        }
        return String(cString: result)
    }

    /// Removes a folder tree made here, making read-only directories
    /// writable first (best effort: used in `defer`).
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            unlink(path)
            return
        }
        chmod(path, 0o700)
        if let handle = opendir(path) {
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(handle)
            for name in names { remove(path + "/" + name) }
        }
        rmdir(path)
    }
}
