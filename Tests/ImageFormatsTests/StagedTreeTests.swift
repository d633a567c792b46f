// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly
import Testing

@Suite("Staged tree")
struct StagedTreeTests {
    @Test("adding a file creates its parents and orders directories before children")
    func parentsAndOrder() throws {
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/a-b", kind: .regularFile(.bytes([1])), permissions: 0o644, origin: "x"))
        try tree.add(StagedEntry(path: "a/b/c", kind: .regularFile(.bytes([2])), permissions: 0o644, origin: "y"))
        #expect(tree.sortedEntries().map(\.path) == ["/a", "/a/b", "/a/b/c", "/a-b"])
        #expect(tree.entry(at: "/a/b")?.isDirectory == true)
        #expect(tree.entry(at: "/a/b")?.origin == "y")
    }

    @Test("a different entry at a staged path is a conflict naming both origins")
    func conflict() throws {
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/etc/x", kind: .regularFile(.bytes([1])), permissions: 0o644, origin: "one"))
        try tree.add(StagedEntry(path: "/etc/x", kind: .regularFile(.bytes([1])), permissions: 0o644, origin: "one"))
        #expect(throws: RootfsAssemblyError.addEntryConflict(path: "/etc/x", existingOrigin: "one", newOrigin: "two")) {
            try tree.add(StagedEntry(path: "/etc/x", kind: .regularFile(.bytes([2])), permissions: 0o644, origin: "two"))
        }
        try tree.add(StagedEntry(path: "/etc/x", kind: .regularFile(.bytes([2])), permissions: 0o644, origin: "two"),
                     replacing: true)
        #expect(tree.entry(at: "/etc/x")?.origin == "two")
    }

    @Test("unsafe paths are rejected", arguments: ["/", "/a/../b", "/a/./b", "/a\nb", "/a\"b"])
    func invalidPaths(path: String) {
        var tree = StagedTree()
        #expect(throws: RootfsAssemblyError.self) {
            try tree.add(StagedEntry(path: path, kind: .directory, permissions: 0o755, origin: "x"))
        }
    }

    @Test("a file below a staged non-directory is rejected")
    func parentNotDirectory() throws {
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/f", kind: .regularFile(.bytes([])), permissions: 0o644, origin: "x"))
        #expect(throws: RootfsAssemblyError.addEntryParentNotDirectory(path: "/f/g", parent: "/f")) {
            try tree.add(StagedEntry(path: "/f/g", kind: .directory, permissions: 0o755, origin: "x"))
        }
    }

    @Test("a folder on disk becomes a tree with modes, symlinks and root ownership")
    func fromDirectory() throws {
        let folder = try TemporaryFolder()
        let root = folder.file("root")
        _ = try folder.write("root/usr/bin/tool", [0x7f, 0x45])
        chmod(folder.file("root/usr/bin/tool"), 0o750)
        try FileManager.default.createSymbolicLink(atPath: folder.file("root/bin"), withDestinationPath: "usr/bin")
        let tree = try StagedTree.fromDirectory(root, origin: "layer:kbdif")
        #expect(tree.sortedEntries().map(\.path) == ["/bin", "/usr", "/usr/bin", "/usr/bin/tool"])
        let tool = try #require(tree.entry(at: "/usr/bin/tool"))
        #expect(tool.permissions == 0o750)
        #expect(tool.uid == 0 && tool.gid == 0)
        #expect(tool.origin == "layer:kbdif")
        #expect(tool.kind == .regularFile(.file(path: folder.file("root/usr/bin/tool"))))
        #expect(tree.entry(at: "/bin")?.kind == .symlink(target: "usr/bin"))
    }

    @Test("scanning a missing folder fails with its path")
    func missingDirectory() {
        #expect(throws: RootfsAssemblyError.scanDirectoryFailed(path: "/nonexistent/driverdom", errno: ENOENT)) {
            try StagedTree.fromDirectory("/nonexistent/driverdom", origin: "x")
        }
    }
}

@Suite("Manifest and size report")
struct ManifestTests {
    @Test("manifest lists every entry with size, mode, SHA256 and origin, deterministically")
    func manifest() throws {
        let folder = try TemporaryFolder()
        let host = try folder.write("sndbe", Array("abc".utf8))
        let tree = try Fixtures.rootfs(hostFile: host)
        let manifest = try Manifest(rootfs: [(name: "domd", tree: tree)])
        let files = try #require(manifest.rootfs.first).files
        #expect(files.map(\.path) == tree.sortedEntries().map(\.path))
        let sndbe = try #require(files.first { $0.path == "/usr/bin/sndbe" })
        #expect(sndbe.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sndbe.size == 3 && sndbe.mode == "0755" && sndbe.origin == "layer:sndif" && sndbe.type == "file")
        #expect(files.first { $0.path == "/usr/bin/su-helper" }?.mode == "4755")
        #expect(files.first { $0.path == "/bin" }?.target == "usr/bin")
        #expect(files.first { $0.path == "/dev/console" }?.type == "char")
        let again = try Manifest(rootfs: [(name: "domd", tree: tree)]).jsonData()
        #expect(manifest.jsonData() == again)
        let decoded = try JSONDecoder().decode(Manifest.self, from: again)
        #expect(decoded == manifest)
    }

    @Test("size report sums bytes per origin, largest first, with a total")
    func sizeReport() throws {
        let folder = try TemporaryFolder()
        let host = try folder.write("sndbe", Array(repeating: 1, count: 2048))
        let report = try SizeReport(name: "domd", tree: try Fixtures.rootfs(hostFile: host))
        #expect(report.rows.map(\.component) == ["base", "layer:sndif", "init"])
        #expect(report.rows[0].bytes == 5 + 3 + 7 + 70_000)
        #expect(report.rows[1].bytes == 2048 && report.rows[1].files == 1)
        #expect(report.totalBytes == 5 + 3 + 7 + 70_000 + 2048)
        let text = report.render()
        #expect(text.contains("layer:sndif"))
        #expect(text.contains("2.0 KiB"))
        #expect(text.split(separator: "\n").last?.hasPrefix("total") == true)
    }
}
