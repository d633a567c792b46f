// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DriverdomBuild

private let swiftAvailable = (try? HostCommand.run(["swift", "--version"]).status) == 0

@Suite("Executable digests over a real Package.swift", .enabled(if: swiftAvailable, "needs `swift` on PATH"))
struct PackageManifestTests {
    private let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        let files = [
            "Package.swift": """
            // swift-tools-version: 6.1
            import PackageDescription
            let package = Package(name: "p", targets: [
                .target(name: "Core"),
                .target(name: "Kbd", dependencies: ["Core"]),
                .executableTarget(name: "kbd-backend", dependencies: ["Kbd"]),
                .executableTarget(name: "init", dependencies: ["Core"]),
            ])
            """,
            "Sources/Core/Core.swift": "public let core = 1\n",
            "Sources/Kbd/Kbd.swift": "public let kbd = 1\n",
            "Sources/kbd-backend/main.swift": "print(1)\n",
            "Sources/init/main.swift": "print(2)\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    private func digests(_ manifest: PackageManifest) throws -> (kbd: String, initd: String) {
        let graph = try manifest.moduleGraph()
        return (try manifest.executableDigest("kbd-backend", in: graph), try manifest.executableDigest("init", in: graph))
    }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(path))
    }

    /// A reader per planning, as the build makes one.
    private var reader: PackageManifest { PackageManifest(packageRoot: root, cacheFolder: root.appendingPathComponent(".cache")) }

    @Test func editsChangeExactlyTheExecutablesBuiltFromThem() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let start = try digests(reader)

        try write("public let kbd = 2\n", to: "Sources/Kbd/Kbd.swift")
        let afterKbd = try digests(reader)
        #expect(afterKbd.kbd != start.kbd)
        #expect(afterKbd.initd == start.initd)

        try write("public let core = 2\n", to: "Sources/Core/Core.swift")
        let afterCore = try digests(reader)
        #expect(afterCore.kbd != afterKbd.kbd)
        #expect(afterCore.initd != afterKbd.initd)
    }

    @Test("one reader reads each module folder once: every executable of a plan sees the same sources, even when one is edited meanwhile")
    func aReaderIsOneSnapshot() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let manifest = reader
        let graph = try manifest.moduleGraph()
        let kbd = try manifest.executableDigest("kbd-backend", in: graph)
        try write("public let core = 3\n", to: "Sources/Core/Core.swift")
        #expect(try manifest.executableDigest("kbd-backend", in: graph) == kbd)
        #expect(try reader.executableDigest("kbd-backend", in: graph) != kbd)
    }

    @Test func dumpIsRememberedPerManifestContent() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let manifest = PackageManifest(packageRoot: root, cacheFolder: root.appendingPathComponent(".cache"))
        let graph = try manifest.moduleGraph()
        // A second read must not run SwiftPM again: point it at a missing tool.
        #expect(try manifest.moduleGraph(swift: "/nonexistent/swift") == graph)
        // A changed manifest must be read again (and so fails with the missing tool).
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        try write(text + "\n// edited\n", to: "Package.swift")
        #expect(throws: BuildError.self) { try manifest.moduleGraph(swift: "/nonexistent/swift") }
    }

    @Test func libraryTargetIsNotAnExecutable() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let manifest = PackageManifest(packageRoot: root, cacheFolder: root.appendingPathComponent(".cache"))
        let graph = try manifest.moduleGraph()
        #expect(throws: BuildError.findExecutableTargetFailed(name: "Kbd", layer: "kbdif")) {
            try manifest.executableDigest("Kbd", in: graph, layer: "kbdif")
        }
    }
}
