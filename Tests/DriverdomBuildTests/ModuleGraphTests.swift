// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DriverdomBuild

@Suite("Module closure from dump-package")
struct ModuleGraphTests {
    private let json = Data("""
    {"name": "p", "targets": [
      {"name": "kbdif-backend", "type": "executable", "dependencies": [{"byName": ["KbdifProtocol", null]}]},
      {"name": "KbdifProtocol", "type": "regular", "dependencies": [{"target": ["XenCore", null]}]},
      {"name": "XenCore", "type": "regular", "path": "Sources/Xen/Core", "dependencies": [{"byName": ["CLinux", null]}]},
      {"name": "CLinux", "type": "regular", "dependencies": []},
      {"name": "DriverdomCLI", "type": "regular",
       "dependencies": [{"product": ["ArgumentParser", "swift-argument-parser", null, null]}]}
    ]}
    """.utf8)

    @Test func closureFollowsLocalDependenciesOnly() throws {
        let graph = try ModuleGraph(dumpPackageJSON: json)
        let closure = try graph.closure(of: "kbdif-backend")
        #expect(closure.map(\.name) == ["CLinux", "KbdifProtocol", "XenCore", "kbdif-backend"])
        #expect(closure.first { $0.name == "XenCore" }?.path == "Sources/Xen/Core")
        #expect(closure.first { $0.name == "CLinux" }?.path == "Sources/CLinux")
    }

    @Test func externalProductsAreRecorded() throws {
        let graph = try ModuleGraph(dumpPackageJSON: json)
        #expect(graph.targets["DriverdomCLI"]?.externalDependencies == ["swift-argument-parser/ArgumentParser"])
    }

    @Test func unknownExecutableIsReported() throws {
        let graph = try ModuleGraph(dumpPackageJSON: json)
        #expect(throws: BuildError.findExecutableTargetFailed(name: "sndif-backend", layer: nil)) {
            try graph.closure(of: "sndif-backend")
        }
    }

    @Test func missingTargetDependencyIsReported() {
        let bad = Data(#"{"targets": [{"name": "a", "type": "regular", "dependencies": [{"target": ["b", null]}]}]}"#.utf8)
        #expect(throws: BuildError.resolveTargetDependencyFailed(target: "a", dependency: "b")) {
            try ModuleGraph(dumpPackageJSON: bad)
        }
    }

    @Test func garbageIsAReadError() {
        #expect(throws: BuildError.self) { try ModuleGraph(dumpPackageJSON: Data("not json".utf8)) }
    }
}

@Suite("Source digests")
struct SourceDigestTests {
    private func makeTree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Sources/A/sub"),
                                                withIntermediateDirectories: true)
        try Data("let a = 1\n".utf8).write(to: root.appendingPathComponent("Sources/A/a.swift"))
        try Data("let b = 2\n".utf8).write(to: root.appendingPathComponent("Sources/A/sub/b.swift"))
        return root
    }

    @Test func editRenameAndAddChangeTheDigest() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let digest = SourceDigest(packageRoot: root)
        let first = try digest.digest(of: "Sources/A")
        #expect(try digest.digest(of: "Sources/A") == first)

        try Data("let a = 3\n".utf8).write(to: root.appendingPathComponent("Sources/A/a.swift"))
        let edited = try digest.digest(of: "Sources/A")
        #expect(edited != first)

        try FileManager.default.moveItem(at: root.appendingPathComponent("Sources/A/sub/b.swift"),
                                         to: root.appendingPathComponent("Sources/A/sub/c.swift"))
        let renamed = try digest.digest(of: "Sources/A")
        #expect(renamed != edited)

        try Data().write(to: root.appendingPathComponent("Sources/A/empty.swift"))
        #expect(try digest.digest(of: "Sources/A") != renamed)
    }

    @Test func missingFolderIsReported() {
        let digest = SourceDigest(packageRoot: URL(fileURLWithPath: "/nonexistent-driverdom"))
        #expect(throws: BuildError.self) { try digest.digest(of: "Sources/A") }
    }
}
