// SPDX-License-Identifier: Apache-2.0

/// A root filesystem described in memory: every file, directory, symlink and
/// device node with its mode, owner, content source and origin.
///
/// Image writers (cpio, ext4, FAT) and the manifest read the tree through
/// `sortedEntries`, which orders entries by path bytes so every output is
/// deterministic. The root directory itself is implicit (`rootPermissions`,
/// owner 0:0).
package struct StagedTree: Sendable, Equatable {
    private var entriesByPath: [String: StagedEntry] = [:]
    /// Permission bits of the root directory.
    package var rootPermissions: UInt16 = 0o755

    /// Creates an empty tree.
    package init() {}

    /// Number of staged entries (the root excluded).
    package var count: Int { entriesByPath.count }

    /// The entry at `path`, if any.
    package func entry(at path: String) -> StagedEntry? {
        guard let normalized = try? Self.normalize(path) else { return nil }
        return entriesByPath[normalized]
    }

    /// All entries ordered by the bytes of their path; a directory always
    /// precedes its children.
    package func sortedEntries() -> [StagedEntry] {
        entriesByPath.map { (key: Self.sortKey($0.key), entry: $0.value) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map(\.entry)
    }

    /// Adds an entry, creating missing parent directories (0755, root-owned,
    /// same origin). Adding an identical entry again is allowed; a different
    /// one at the same path is a conflict unless `replacing` is true.
    package mutating func add(_ entry: StagedEntry, replacing: Bool = false) throws(RootfsAssemblyError) {
        var entry = entry
        entry.path = try Self.normalize(entry.path)
        if case let .symlink(target) = entry.kind, target.isEmpty || target.contains("\n") || target.contains("\0") {
            throw .addEntryInvalidPath(path: entry.path, reason: "symlink target '\(target)' is empty or contains a newline or NUL")
        }
        try addParents(of: entry)
        if let existing = entriesByPath[entry.path], existing != entry, !replacing {
            if existing.isDirectory && entry.isDirectory { return }
            throw .addEntryConflict(path: entry.path, existingOrigin: existing.origin, newOrigin: entry.origin)
        }
        entriesByPath[entry.path] = entry
    }

    /// Adds every entry of `other`, with the same conflict rule as `add`.
    package mutating func merge(_ other: StagedTree, replacing: Bool = false) throws(RootfsAssemblyError) {
        for entry in other.sortedEntries() {
            try add(entry, replacing: replacing)
        }
    }

    /// Removes the entry at `path` and everything below it.
    package mutating func remove(_ path: String) {
        guard let normalized = try? Self.normalize(path) else { return }
        entriesByPath[normalized] = nil
        let prefix = normalized + "/"
        for key in entriesByPath.keys where key.hasPrefix(prefix) {
            entriesByPath[key] = nil
        }
    }

    private mutating func addParents(of entry: StagedEntry) throws(RootfsAssemblyError) {
        var parent = Self.parentPath(entry.path)
        var missing: [String] = []
        while parent != "/" {
            if let existing = entriesByPath[parent] {
                guard existing.isDirectory else {
                    throw .addEntryParentNotDirectory(path: entry.path, parent: parent)
                }
                break
            }
            missing.append(parent)
            parent = Self.parentPath(parent)
        }
        for path in missing {
            entriesByPath[path] = StagedEntry(path: path, kind: .directory, permissions: 0o755, origin: entry.origin)
        }
    }

    /// The parent of a normalized absolute path (`/` for top-level entries).
    package static func parentPath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// Normalizes `path` to `/a/b` form and rejects paths no image format can
    /// hold safely.
    package static func normalize(_ path: String) throws(RootfsAssemblyError) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.isEmpty else {
            throw .addEntryInvalidPath(path: path, reason: "the root itself cannot be staged as an entry")
        }
        for component in components {
            if component == "." || component == ".." {
                throw .addEntryInvalidPath(path: path, reason: "'.' and '..' components are not allowed")
            }
            if component.contains("\n") || component.contains("\0") || component.contains("\"") {
                throw .addEntryInvalidPath(path: path, reason: "newline, NUL and double quote are not allowed")
            }
            if component.utf8.count > 255 {
                throw .addEntryInvalidPath(path: path, reason: "a component is longer than 255 bytes")
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// Path order used everywhere: component-wise byte order, so `/a/b` sorts
    /// before `/a-b` and a directory precedes its children.
    package static func pathPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        sortKey(lhs).lexicographicallyPrecedes(sortKey(rhs))
    }

    /// The path's bytes with `/` mapped to 0 (NUL cannot occur in a path):
    /// plain byte order of these keys is component-wise path order.
    static func sortKey(_ path: String) -> [UInt8] {
        path.utf8.map { $0 == UInt8(ascii: "/") ? 0 : $0 }
    }
}
