// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lists a folder tree in a stable order (depth-first, names sorted by bytes)
/// without following symlinks.
enum TreeWalker {
    struct Entry {
        /// Path relative to the root, `/`-separated, no leading `./`.
        var relativePath: String
        var status: FileSystem.Status
    }

    /// All entries below `root` (not the root itself).
    static func entries(under root: String) throws -> [Entry] {
        var result: [Entry] = []
        try walk(root: root, relative: "", into: &result)
        return result
    }

    private static func walk(root: String, relative: String, into result: inout [Entry]) throws {
        let folder = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(folder) else {
            throw BuildEngineError.fileOperationFailed(operation: "list folder", path: folder, errno: errno)
        }
        var names: [String] = []
        while let item = readdir(dir) {
            let name = withUnsafePointer(to: item.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in names {
            let rel = relative.isEmpty ? name : relative + "/" + name
            guard let st = FileSystem.status(root + "/" + rel) else { continue }
            result.append(Entry(relativePath: rel, status: st))
            if st.isDirectory { try walk(root: root, relative: rel, into: &result) }
        }
    }

    /// The target of a symlink.
    static func linkTarget(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { throw BuildEngineError.fileOperationFailed(operation: "read symlink", path: path, errno: errno) }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
