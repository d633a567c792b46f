// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A symlink met while resolving a path inside a sysroot.
package struct SysrootSymlink: Sendable, Hashable {
    /// Path of the link inside the sysroot (`/lib`).
    package var path: String
    /// Its target as stored (`usr/lib`).
    package var target: String

    package init(path: String, target: String) {
        self.path = path
        self.target = target
    }
}

/// Resolves absolute paths inside a sysroot folder the way the target's
/// kernel would, treating the sysroot as `/`: absolute symlink targets are
/// taken relative to the sysroot and `..` never climbs above it.
struct SysrootPathResolver {
    let sysroot: String

    /// The canonical path (inside the sysroot) of `path` and the symlinks met,
    /// or nil if it does not exist.
    func resolve(_ path: String) throws(RootfsAssemblyError) -> (path: String, links: [SysrootSymlink])? {
        var pending = path.split(separator: "/").map(String.init)
        var resolved: [String] = []
        var links: [SysrootSymlink] = []
        var hops = 0
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == "." { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = "/" + (resolved + [component]).joined(separator: "/")
            var info = stat()
            guard lstat(sysroot + candidate, &info) == 0 else { return nil }
            if info.st_mode & S_IFMT == S_IFLNK {
                hops += 1
                guard hops <= 40 else { throw .elfSymlinkLoop(path: path) }
                let target = try readLink(sysroot + candidate)
                links.append(SysrootSymlink(path: candidate, target: target))
                if target.hasPrefix("/") { resolved = [] }
                pending = target.split(separator: "/").map(String.init) + pending
            } else {
                resolved.append(component)
            }
        }
        return ("/" + resolved.joined(separator: "/"), links)
    }

    private func readLink(_ hostPath: String) throws(RootfsAssemblyError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(hostPath, &buffer, Int(PATH_MAX))
        guard length >= 0 else { throw .scanDirectoryFailed(path: hostPath, errno: errno) }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
