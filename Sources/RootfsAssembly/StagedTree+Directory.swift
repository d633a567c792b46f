// SPDX-License-Identifier: Apache-2.0
import Foundation

extension StagedTree {
    /// Builds a tree from a folder on disk: every object below `directory`
    /// becomes an entry with its permission bits and `origin`. Regular files
    /// refer to their path on disk (read when an image is written).
    ///
    /// - Parameter keepOwnership: when false (the default) every entry is owned
    ///   by 0:0, as a rootfs staged by an unprivileged build should be.
    package static func fromDirectory(_ directory: String, origin: String,
                                     keepOwnership: Bool = false) throws(RootfsAssemblyError) -> StagedTree {
        var tree = StagedTree()
        var rootInfo = stat()
        guard lstat(directory, &rootInfo) == 0 else {
            throw .scanDirectoryFailed(path: directory, errno: errno)
        }
        tree.rootPermissions = UInt16(rootInfo.st_mode & 0o7777)
        try scan(directory: directory, relative: "", into: &tree, origin: origin, keepOwnership: keepOwnership)
        return tree
    }

    private static func scan(directory: String, relative: String, into tree: inout StagedTree,
                             origin: String, keepOwnership: Bool) throws(RootfsAssemblyError) {
        let names = try entryNames(directory)
        for name in names {
            let hostPath = directory + "/" + name
            let path = relative + "/" + name
            var info = stat()
            guard lstat(hostPath, &info) == 0 else { throw .scanDirectoryFailed(path: hostPath, errno: errno) }
            let kind: StagedEntryKind
            switch info.st_mode & S_IFMT {
            case S_IFDIR: kind = .directory
            case S_IFREG: kind = .regularFile(.file(path: hostPath))
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let length = readlink(hostPath, &buffer, Int(PATH_MAX))
                guard length >= 0 else { throw .scanDirectoryFailed(path: hostPath, errno: errno) }
                kind = .symlink(target: String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
            case S_IFCHR: kind = .characterDevice(major: major(info.st_rdev), minor: minor(info.st_rdev))
            case S_IFBLK: kind = .blockDevice(major: major(info.st_rdev), minor: minor(info.st_rdev))
            case S_IFIFO: kind = .fifo
            default: throw .scanUnsupportedFileType(path: hostPath, mode: UInt32(info.st_mode))
            }
            let entry = StagedEntry(path: path, kind: kind, permissions: UInt16(info.st_mode & 0o7777),
                                    uid: keepOwnership ? info.st_uid : 0, gid: keepOwnership ? info.st_gid : 0,
                                    origin: origin)
            try tree.add(entry)
            if kind == .directory {
                try scan(directory: hostPath, relative: path, into: &tree, origin: origin, keepOwnership: keepOwnership)
            }
        }
    }
}

/// The names in a folder (without `.` and `..`), sorted, via `opendir`/`readdir`.
private func entryNames(_ directory: String) throws(RootfsAssemblyError) -> [String] {
    guard let handle = opendir(directory) else { throw .scanDirectoryFailed(path: directory, errno: errno) }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

private func major(_ dev: dev_t) -> UInt32 { UInt32(truncatingIfNeeded: ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfff)) }
private func minor(_ dev: dev_t) -> UInt32 { UInt32(truncatingIfNeeded: (dev & 0xff) | ((dev >> 12) & ~0xff)) }
