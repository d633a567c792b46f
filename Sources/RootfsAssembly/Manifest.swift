// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// `manifest.json`: every object of every rootfs with size, mode, SHA256 and
/// the package or layer it came from. Rootfs order is as given, files are in
/// `StagedTree.sortedEntries` order, keys are sorted: the bytes are
/// deterministic.
package struct Manifest: Codable, Sendable, Equatable {
    /// Format version of this file.
    package var version: Int = 1
    package var rootfs: [RootfsManifest]

    /// Describes each named tree; reads every regular file to hash it.
    /// `packageOf` names the Debian package (and version) that ships an entry, if any.
    package init(rootfs trees: [(name: String, tree: StagedTree)],
                packageOf: (StagedEntry) -> (name: String, version: String)? = { _ in nil }) throws(RootfsAssemblyError) {
        var result: [RootfsManifest] = []
        for (name, tree) in trees {
            var files: [ManifestFile] = []
            for entry in tree.sortedEntries() {
                var file = try ManifestFile(entry)
                if file.type != "directory", let package = packageOf(entry) {
                    file.package = package.name
                    file.version = package.version
                }
                files.append(file)
            }
            result.append(RootfsManifest(name: name, files: files))
        }
        rootfs = result
    }

    /// The JSON encoding (pretty-printed, sorted keys, trailing newline).
    package func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        var data = (try? encoder.encode(self)) ?? Data()
        data.append(0x0a)
        return data
    }
}

/// The objects of one rootfs in the manifest.
package struct RootfsManifest: Codable, Sendable, Equatable {
    package var name: String
    package var files: [ManifestFile]
}

/// One object in the manifest.
package struct ManifestFile: Codable, Sendable, Equatable {
    package var path: String
    /// `file`, `directory`, `symlink`, `char`, `block` or `fifo`.
    package var type: String
    package var size: UInt64
    /// Permission bits in octal, e.g. `0755`.
    package var mode: String
    package var uid: UInt32
    package var gid: UInt32
    /// Lowercase hex SHA256 of a regular file's content.
    package var sha256: String?
    /// Target of a symlink.
    package var target: String?
    package var origin: String
    /// The Debian package that ships this path, when it came from one.
    package var package: String?
    /// That package's version.
    package var version: String?

    init(_ entry: StagedEntry) throws(RootfsAssemblyError) {
        path = entry.path
        mode = String(format: "%04o", entry.permissions)
        uid = entry.uid
        gid = entry.gid
        origin = entry.origin
        size = 0
        switch entry.kind {
        case .directory: type = "directory"
        case let .regularFile(content):
            type = "file"
            let bytes = try content.readAll()
            size = UInt64(bytes.count)
            sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        case let .symlink(target):
            type = "symlink"
            size = UInt64(target.utf8.count)
            self.target = target
        case .characterDevice: type = "char"
        case .blockDevice: type = "block"
        case .fifo: type = "fifo"
        }
    }
}
