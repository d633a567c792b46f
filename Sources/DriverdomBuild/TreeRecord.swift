// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly

/// A staged rootfs as a step output: `entries.json` (every entry with its kind,
/// permissions, owner and origin) and `root/` holding the regular files' bytes,
/// so the format steps rebuild the exact tree — device nodes and origins
/// included — without special files or absolute paths in the cache.
package struct TreeRecord: Codable, Equatable, Sendable {
    /// One entry of the tree.
    package struct Entry: Codable, Equatable, Sendable {
        package var path: String
        /// `dir`, `file`, `symlink`, `char`, `block` or `fifo`.
        package var type: String
        package var permissions: UInt16
        package var uid: UInt32
        package var gid: UInt32
        package var origin: String
        package var target: String?
        package var major: UInt32?
        package var minor: UInt32?
    }

    /// Entries in tree order.
    package var entries: [Entry]

    /// Name of the entry list in a step output.
    package static let entriesFile = "entries.json"
    /// Folder of the file contents in a step output.
    package static let rootFolder = "root"

    /// Writes `tree` into `folder`: copies each regular file under `root/` and lists every entry.
    package static func write(_ tree: StagedTree, to folder: URL) throws(BuildError) {
        let root = folder.appendingPathComponent(rootFolder)
        var entries: [Entry] = []
        for entry in tree.sortedEntries() {
            var record = Entry(path: entry.path, type: "", permissions: entry.permissions, uid: entry.uid,
                               gid: entry.gid, origin: entry.origin)
            switch entry.kind {
            case .directory: record.type = "dir"
            case let .regularFile(content):
                record.type = "file"
                let destination = root.appendingPathComponent(entry.relativePath)
                do {
                    try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                    try Data(content.readAll()).write(to: destination)
                } catch {
                    throw .stepFailed(step: "rootfs", reason: "cannot write \(destination.path): \(error)")
                }
            case let .symlink(target):
                record.type = "symlink"
                record.target = target
            case let .characterDevice(major, minor):
                (record.type, record.major, record.minor) = ("char", major, minor)
            case let .blockDevice(major, minor):
                (record.type, record.major, record.minor) = ("block", major, minor)
            case .fifo: record.type = "fifo"
            }
            entries.append(record)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(TreeRecord(entries: entries)).write(to: folder.appendingPathComponent(entriesFile))
        } catch {
            throw .stepFailed(step: "rootfs", reason: "cannot write \(entriesFile): \(error)")
        }
    }

    /// Reads the tree written by ``write(_:to:)`` into `folder`.
    package static func read(from folder: URL) throws(BuildError) -> StagedTree {
        let record: TreeRecord
        do {
            let data = try Data(contentsOf: folder.appendingPathComponent(entriesFile))
            record = try JSONDecoder().decode(TreeRecord.self, from: data)
        } catch {
            throw .stepFailed(step: "rootfs", reason: "cannot read \(folder.path)/\(entriesFile): \(error)")
        }
        let root = folder.appendingPathComponent(rootFolder).path
        var tree = StagedTree()
        do {
            for entry in record.entries {
                let kind: StagedEntryKind
                switch entry.type {
                case "dir": kind = .directory
                case "file": kind = .regularFile(.file(path: root + entry.path))
                case "symlink": kind = .symlink(target: entry.target ?? "")
                case "char": kind = .characterDevice(major: entry.major ?? 0, minor: entry.minor ?? 0)
                case "block": kind = .blockDevice(major: entry.major ?? 0, minor: entry.minor ?? 0)
                default: kind = .fifo
                }
                try tree.add(StagedEntry(path: entry.path, kind: kind, permissions: entry.permissions,
                                         uid: entry.uid, gid: entry.gid, origin: entry.origin), replacing: true)
            }
        } catch {
            throw .stepFailed(step: "rootfs", reason: "bad entry in \(entriesFile): \(error)")
        }
        return tree
    }
}
