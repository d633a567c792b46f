// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Hashes source folders: every regular file's relative path, executable bit and
/// contents, in path order. Symbolic links are hashed by their target text.
package struct SourceDigest {
    private let root: URL

    /// Hashes folders relative to `packageRoot`.
    package init(packageRoot: URL) {
        self.root = packageRoot
    }

    /// The digest of one folder (relative to the package root).
    package func digest(of folder: String) throws(BuildError) -> String {
        var hasher = KeyHasher(domain: "sources")
        hasher.add("folder", folder)
        let base = root.appendingPathComponent(folder)
        for relative in try files(under: base, folder: folder) {
            let url = base.appendingPathComponent(relative)
            let path = url.path
            hasher.add("file", relative)
            do {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                if attributes[.type] as? FileAttributeType == .typeSymbolicLink {
                    hasher.add("link", try FileManager.default.destinationOfSymbolicLink(atPath: path))
                    continue
                }
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
                hasher.add("exec", mode & 0o111 != 0 ? "1" : "0")
                hasher.add("data", try Data(contentsOf: url))
            } catch {
                throw .hashSourcesFailed(path: path, reason: "\(error.localizedDescription)")
            }
        }
        return hasher.finalize()
    }

    private func files(under base: URL, folder: String) throws(BuildError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .hashSourcesFailed(path: base.path, reason: "no such folder")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else {
            throw .hashSourcesFailed(path: base.path, reason: "cannot list folder")
        }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeDirectory { continue }
            result.append(relative)
        }
        return result.sorted()
    }
}
