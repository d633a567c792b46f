// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly

/// Writes a staged tree into a real folder for tools that read one
/// (`mke2fs -d`, `mcopy`), with every timestamp — the root's too — set to the
/// epoch. Device nodes and fifos are not created (an unprivileged build
/// cannot); writers add them with their own means.
enum StagingDirectory {
    static func materialize(_ tree: StagedTree, at root: String, epoch: UInt32,
                            skipSpecialFiles: Bool = true) throws(ImageFormatsError) {
        try makeDirectory(root)
        let entries = tree.sortedEntries()
        for entry in entries {
            let path = root + entry.path
            switch entry.kind {
            case .directory:
                try makeDirectory(path)
            case let .regularFile(content):
                let bytes: [UInt8]
                do throws(RootfsAssemblyError) { bytes = try content.readAll() } catch { throw .stageEntryFailed(path: entry.path, underlying: error) }
                guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                    throw .fileWriteFailed(path: path, errno: errno)
                }
            case let .symlink(target):
                guard symlink(target, path) == 0 else { throw .fileWriteFailed(path: path, errno: errno) }
            case .characterDevice, .blockDevice, .fifo:
                continue
            }
            if case .symlink = entry.kind { continue }
            guard chmod(path, mode_t(entry.permissions)) == 0 else { throw .fileWriteFailed(path: path, errno: errno) }
        }
        // Children first, so setting a directory's time is not undone by
        // creating entries in it; the root last.
        for entry in entries.reversed() {
            if case .characterDevice = entry.kind { continue }
            if case .blockDevice = entry.kind { continue }
            if case .fifo = entry.kind { continue }
            try setTimes(root + entry.path, epoch: epoch)
        }
        guard chmod(root, mode_t(tree.rootPermissions)) == 0 else { throw .fileWriteFailed(path: root, errno: errno) }
        try setTimes(root, epoch: epoch)
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

    /// A fresh temporary folder; the caller removes it.
    static func temporaryDirectory(prefix: String) throws(ImageFormatsError) -> String {
        var template = Array((NSTemporaryDirectory() + "/" + prefix + ".XXXXXX").utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .fileWriteFailed(path: NSTemporaryDirectory(), errno: errno)
        }
        return String(cString: result)
    }
}
