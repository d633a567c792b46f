// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// `manifest.json`: every object of every rootfs with size, mode, SHA256 and
/// the package or layer it came from. Rootfs order is as given, files are in
/// `StagedTree.sortedEntries` order, keys are sorted: the bytes are
/// deterministic.
public struct Manifest: Codable, Sendable, Equatable {
    /// Format version of this file.
    public var version: Int = 1
    public var rootfs: [RootfsManifest]

    /// Describes each named tree; reads every regular file to hash it.
    /// `packageOf` names the Debian package (and version) that ships an entry, if any.
    public init(rootfs trees: [(name: String, tree: StagedTree)],
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
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        var data = (try? encoder.encode(self)) ?? Data()
        data.append(0x0a)
        return data
    }
}

/// The objects of one rootfs in the manifest.
public struct RootfsManifest: Codable, Sendable, Equatable {
    public var name: String
    public var files: [ManifestFile]
}

/// One object in the manifest.
public struct ManifestFile: Codable, Sendable, Equatable {
    public var path: String
    /// `file`, `directory`, `symlink`, `char`, `block` or `fifo`.
    public var type: String
    public var size: UInt64
    /// Permission bits in octal, e.g. `0755`.
    public var mode: String
    public var uid: UInt32
    public var gid: UInt32
    /// Lowercase hex SHA256 of a regular file's content.
    public var sha256: String?
    /// Target of a symlink.
    public var target: String?
    public var origin: String
    /// The Debian package that ships this path, when it came from one.
    public var package: String?
    /// That package's version.
    public var version: String?

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
