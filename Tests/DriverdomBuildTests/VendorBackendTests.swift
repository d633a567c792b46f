// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import Testing
@testable import DriverdomBuild

/// The vendor source's license header (split so REUSE does not read it as this file's).
private let mitHeader = "// SPDX-" + "License-Identifier: MIT\n"

private let swiftAvailable = (try? HostCommand.run(["swift", "--version"]).status) == 0

/// An out-of-tree backend (`backend.package`): its digest covers its own sources
/// and the driverdom library products it uses, nothing else of driverdom; its
/// manifest sees `DRIVERDOM_PACKAGE`.
@Suite("Out-of-tree backend digests", .enabled(if: swiftAvailable, "needs `swift` on PATH"))
struct VendorBackendTests {
    private let root: URL
    private var driverdom: URL { root.appendingPathComponent("driverdom") }
    private var vendor: URL { root.appendingPathComponent("vendor") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vendor-\(UUID().uuidString)")
        let files = [
            "driverdom/Package.swift": """
            // swift-tools-version: 6.1
            import PackageDescription
            let package = Package(name: "driverdom",
                products: ["XenCore", "XenLinux", "SndIf"].map { .library(name: $0, targets: [$0]) },
                targets: [
                    .target(name: "XenCore"),
                    .target(name: "XenLinux", dependencies: ["XenCore"]),
                    .target(name: "SndIf", dependencies: ["XenCore"]),
                ])
            """,
            "driverdom/Sources/XenCore/XenCore.swift": "public let core = 1\n",
            "driverdom/Sources/XenLinux/XenLinux.swift": "public let linux = 1\n",
            "driverdom/Sources/SndIf/SndIf.swift": "public let snd = 1\n",
            "vendor/Package.swift": """
            // swift-tools-version: 6.1
            import PackageDescription
            let driverdom = Context.environment["DRIVERDOM_PACKAGE"]!
            let package = Package(name: "tone", dependencies: [.package(name: "driverdom", path: driverdom)],
                targets: [.executableTarget(name: "tone-backend",
                                            dependencies: [.product(name: "XenLinux", package: "driverdom")])])
            """,
            "vendor/Sources/tone-backend/main.swift": mitHeader + "print(1)\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    private func layer() -> Layer {
        Layer(name: "tone", description: "", protocolName: "vsnd", binds: .sound, executable: "tone-backend",
              packages: [], modules: [], options: [], license: "MIT", directory: root.path + "/Layers/tone",
              location: SourceLocation(path: root.path + "/Layers/tone/layer.yaml", line: 1, column: 1),
              backendPackage: vendor.path)
    }

    private func input() throws -> ExecutableInput {
        let cache = root.appendingPathComponent(".cache")
        let resolver = PlanInputResolver(packageRoot: driverdom, planningCache: cache)
        let manifest = PackageManifest(packageRoot: driverdom, cacheFolder: cache)
        return try resolver.vendorExecutable(layer(), package: vendor.path, driverdom: manifest, try manifest.moduleGraph())
    }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(path))
    }

    @Test func theDigestFollowsItsSourcesAndTheDriverdomLibrariesItUses() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try input()
        #expect(first.name == "tone-backend")
        #expect(first.license == "MIT")
        #expect(try input() == first)

        try write("public let snd = 2\n", to: "driverdom/Sources/SndIf/SndIf.swift")      // not used by the vendor
        #expect(try input().sourceDigest == first.sourceDigest)

        try write("public let core = 2\n", to: "driverdom/Sources/XenCore/XenCore.swift")  // XenLinux depends on it
        let afterCore = try input()
        #expect(afterCore.sourceDigest != first.sourceDigest)

        try write(mitHeader + "print(2)\n", to: "vendor/Sources/tone-backend/main.swift")
        #expect(try input().sourceDigest != afterCore.sourceDigest)
    }

    @Test func aProductDriverdomDoesNotHaveIsNamed() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write("""
            // swift-tools-version: 6.1
            import PackageDescription
            let driverdom = Context.environment["DRIVERDOM_PACKAGE"]!
            let package = Package(name: "tone", dependencies: [.package(name: "driverdom", path: driverdom)],
                targets: [.executableTarget(name: "tone-backend",
                                            dependencies: [.product(name: "NoSuchLib", package: "driverdom")])])
            """, to: "vendor/Package.swift")
        #expect(throws: BuildError.readPackageManifestFailed(
            reason: "'NoSuchLib' is not a library product of \(driverdom.path)")) {
            try input()
        }
    }
}
