// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly

/// Builds the DomD rootfs tree from the components the steps staged (init,
/// each layer's backend, shared libraries, kernel modules, service table, /etc,
/// busybox), each entry tagged with the component it came from.
///
/// Components may overlap where they stage the same thing (two layers needing
/// libc, or the same kernel module): an identical file, symlink or folder is
/// taken once; a different one at the same path is an error naming both components.
package struct RootfsComposer {
    /// The tree so far.
    package private(set) var tree = StagedTree()

    /// Starts a tree with the folders and device nodes every DomD needs before
    /// devtmpfs is mounted (the kernel opens /dev/console for the init).
    package init() throws(BuildError) {
        try add { tree throws(RootfsAssemblyError) in
            for folder in DomDRootfs.folders {
                try tree.add(StagedEntry(path: folder, kind: .directory, permissions: folder == "/tmp" ? 0o1777 : 0o755,
                                         origin: "skeleton"))
            }
            try tree.add(StagedEntry(path: "/dev/console", kind: .characterDevice(major: 5, minor: 1),
                                     permissions: 0o600, origin: "skeleton"))
            try tree.add(StagedEntry(path: "/dev/null", kind: .characterDevice(major: 1, minor: 3),
                                     permissions: 0o666, origin: "skeleton"))
        }
    }

    /// Adds every object under `folder` as component `origin`.
    package mutating func addComponent(_ folder: URL, origin: String) throws(BuildError) {
        let component: StagedTree
        do {
            component = try StagedTree.fromDirectory(folder.path, origin: origin)
        } catch {
            throw .stepFailed(step: "rootfs", reason: "cannot read component \(origin) at \(folder.path): \(error)")
        }
        for entry in component.sortedEntries() {
            if let existing = tree.entry(at: entry.path), try Self.same(existing, entry) { continue }
            try add { tree throws(RootfsAssemblyError) in try tree.add(entry) }
        }
    }

    /// Adds a generated file.
    package mutating func addFile(_ path: String, contents: String, permissions: UInt16 = 0o644,
                                 origin: String) throws(BuildError) {
        try addFile(path, bytes: Array(contents.utf8), permissions: permissions, origin: origin)
    }

    /// Adds a file with the given bytes.
    package mutating func addFile(_ path: String, bytes: [UInt8], permissions: UInt16 = 0o644,
                                 origin: String) throws(BuildError) {
        try add { tree throws(RootfsAssemblyError) in
            try tree.add(StagedEntry(path: path, kind: .regularFile(.bytes(bytes)), permissions: permissions, origin: origin))
        }
    }

    /// Adds a file from the build host.
    package mutating func addHostFile(_ path: String, from hostPath: String, permissions: UInt16,
                                     origin: String) throws(BuildError) {
        try add { tree throws(RootfsAssemblyError) in
            try tree.add(StagedEntry(path: path, kind: .regularFile(.file(path: hostPath)),
                                     permissions: permissions, origin: origin))
        }
    }

    /// Adds a symbolic link.
    package mutating func addSymlink(_ path: String, target: String, origin: String) throws(BuildError) {
        try add { tree throws(RootfsAssemblyError) in
            try tree.add(StagedEntry(path: path, kind: .symlink(target: target), permissions: 0o777, origin: origin))
        }
    }

    /// Size per component, as the build prints it.
    package func sizeReport() throws(BuildError) -> String {
        do {
            return try SizeReport(name: "DomD rootfs", tree: tree).render()
        } catch {
            throw .stepFailed(step: "rootfs", reason: "cannot size the rootfs: \(error)")
        }
    }

    private mutating func add(_ body: (inout StagedTree) throws(RootfsAssemblyError) -> Void) throws(BuildError) {
        do {
            try body(&tree)
        } catch {
            throw .stepFailed(step: "rootfs", reason: "\(error)")
        }
    }

    /// Whether two entries at one path stage the same object.
    static func same(_ a: StagedEntry, _ b: StagedEntry) throws(BuildError) -> Bool {
        switch (a.kind, b.kind) {
        case (.directory, .directory):
            return true
        case let (.symlink(first), .symlink(second)):
            return first == second
        case let (.regularFile(first), .regularFile(second)):
            guard a.permissions == b.permissions else { return false }
            do {
                return try first.size() == second.size() && first.readAll() == second.readAll()
            } catch {
                throw .stepFailed(step: "rootfs", reason: "cannot compare \(a.path): \(error)")
            }
        default:
            return false
        }
    }
}
