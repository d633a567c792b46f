// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly
import Testing
@testable import DriverdomBuild

@Suite("Rootfs composition and tree records")
struct RootfsComposerTests {
    private let root = FileManager.default.temporaryDirectory.appendingPathComponent("composer-\(UUID().uuidString)")

    private func component(_ name: String, files: [String: String]) throws -> URL {
        let folder = root.appendingPathComponent(name)
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    @Test func identicalOverlapIsTakenOnceAndDifferentOverlapIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var composer = try RootfsComposer()
        try composer.addComponent(try component("a", files: ["lib/libc.so.6": "libc", "usr/bin/a": "a"]), origin: "layer a")
        try composer.addComponent(try component("b", files: ["lib/libc.so.6": "libc", "usr/bin/b": "b"]), origin: "layer b")
        #expect(composer.tree.entry(at: "/lib/libc.so.6")?.origin == "layer a")
        #expect(composer.tree.entry(at: "/usr/bin/b")?.origin == "layer b")
        #expect(throws: BuildError.self) {
            try composer.addComponent(try component("c", files: ["lib/libc.so.6": "other libc"]), origin: "layer c")
        }
    }

    @Test func skeletonHasConsoleBeforeDevtmpfs() throws {
        let tree = try RootfsComposer().tree
        #expect(tree.entry(at: "/dev/console")?.kind == .characterDevice(major: 5, minor: 1))
        #expect(tree.entry(at: "/tmp")?.permissions == 0o1777)
    }

    @Test func treeRecordRoundTripKeepsKindsOriginsAndBytes() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var composer = try RootfsComposer()
        try composer.addFile("/etc/hostname", contents: "DomD\n", origin: "etc")
        try composer.addSymlink("/sbin/init", target: "../init", origin: "init")
        try composer.addComponent(try component("a", files: ["usr/bin/a": "binary"]), origin: "layer a")
        let folder = root.appendingPathComponent("record")
        try TreeRecord.write(composer.tree, to: folder)
        let read = try TreeRecord.read(from: folder)

        let original = composer.tree.sortedEntries()
        let copy = read.sortedEntries()
        #expect(copy.map(\.path) == original.map(\.path))
        #expect(copy.map(\.origin) == original.map(\.origin))
        #expect(copy.map(\.permissions) == original.map(\.permissions))
        for (a, b) in zip(original, copy) {
            switch (a.kind, b.kind) {
            case let (.regularFile(x), .regularFile(y)): #expect(try x.readAll() == y.readAll(), "\(a.path)")
            default: #expect(a.kind == b.kind, "\(a.path)")
            }
        }
    }
}
