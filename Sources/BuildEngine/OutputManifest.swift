// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The list of files a step produced, stored as `manifest.json` next to the
/// outputs of a cache entry and written after them. `digest` is the content
/// hash of the whole output (paths, kinds, modes, sizes, file hashes,
/// symlink targets); dependants key on it.
package struct OutputManifest: Codable, Equatable, Sendable {
    /// One produced file, folder or symlink.
    package struct Item: Codable, Equatable, Sendable {
        /// Path relative to the output folder.
        package var path: String
        /// `file`, `folder` or `symlink`.
        package var kind: String
        /// Permission bits (files and folders).
        package var mode: UInt32
        /// Size in bytes (files).
        package var size: Int64
        /// SHA-256 hex (files) or link target (symlinks); empty for folders.
        package var content: String
    }

    /// Format version of this manifest.
    package var format: Int
    /// The cache key of the entry.
    package var key: String
    /// The step that produced it (informational).
    package var step: String
    /// Everything produced, in tree order.
    package var items: [Item]
    /// Content hash of `items`.
    package var digest: String

    static let currentFormat = 1

    /// Scans `directory` (a step's finished output) into a manifest.
    static func scan(_ directory: String, key: String, step: StepID) throws -> OutputManifest {
        var items: [Item] = []
        for entry in try TreeWalker.entries(under: directory) {
            let full = directory + "/" + entry.relativePath
            let mode = entry.status.mode & 0o7777
            if entry.status.isRegular {
                items.append(Item(path: entry.relativePath, kind: "file", mode: mode, size: entry.status.size,
                                  content: try ContentHasher.sha256(ofFile: full)))
            } else if entry.status.isDirectory {
                items.append(Item(path: entry.relativePath, kind: "folder", mode: mode, size: 0, content: ""))
            } else if entry.status.isSymlink {
                items.append(Item(path: entry.relativePath, kind: "symlink", mode: 0, size: 0,
                                  content: try TreeWalker.linkTarget(full)))
            } else {
                throw BuildEngineError.outputHasUnsupportedFile(step: step.rawValue, path: entry.relativePath)
            }
        }
        return OutputManifest(format: currentFormat, key: key, step: step.rawValue, items: items,
                              digest: digest(of: items))
    }

    static func digest(of items: [Item]) -> String {
        var text = ""
        for item in items {
            text += "\(item.kind)\u{0}\(item.path)\u{0}\(String(item.mode, radix: 8))\u{0}\(item.size)\u{0}\(item.content)\n"
        }
        return ContentHasher.sha256(Data(text.utf8))
    }

    /// Whether the files under `directory` match this manifest. `full` also
    /// re-hashes every file; otherwise kinds, sizes and symlink targets are
    /// checked, and no unlisted file may exist.
    func matches(_ directory: String, full: Bool) -> Bool {
        guard format == Self.currentFormat, digest == Self.digest(of: items) else { return false }
        guard let found = try? TreeWalker.entries(under: directory), found.count == items.count else { return false }
        for (item, entry) in zip(items, found) {
            guard item.path == entry.relativePath else { return false }
            let full_path = directory + "/" + item.path
            switch item.kind {
            case "file":
                guard entry.status.isRegular, entry.status.size == item.size else { return false }
                if full, (try? ContentHasher.sha256(ofFile: full_path)) != item.content { return false }
            case "folder":
                guard entry.status.isDirectory else { return false }
            case "symlink":
                guard entry.status.isSymlink, (try? TreeWalker.linkTarget(full_path)) == item.content else { return false }
            default:
                return false
            }
        }
        return true
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    static func load(_ path: String) -> OutputManifest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(OutputManifest.self, from: data)
    }
}
