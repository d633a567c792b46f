// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import Testing

/// A product repo outside the checkout: `driverdom.yaml`, image `includes:`, the
/// search order, names found twice, and where the built-in collection is found.
@Suite struct ProductRepositoryTests {
    static var fixtures: String { (Fixtures.broken as NSString).deletingLastPathComponent }
    static var product: String { fixtures + "/product" }
    static var builtin: Repository { Repository(root: Fixtures.packageRoot) }

    /// A path as messages show it: relative to the current directory when below it.
    static func shown(_ path: String) -> String {
        SourceLocation(path: path, line: 1, column: 1).relative(to: FileManager.default.currentDirectoryPath).path
    }

    static func load(_ image: String) throws -> Configuration {
        let path = product + "/Images/\(image).yaml"
        return try Repository.find(from: path, builtin: builtin).loadImage(at: path)
    }

    static func diagnostics(_ image: String) -> [Diagnostic] {
        do {
            _ = try load(image)
            return []
        } catch let ConfigError.validationFailed(diagnostics) {
            return diagnostics
        } catch {
            return [Diagnostic(location: SourceLocation(path: "?", line: 0, column: 0), message: "\(error)")]
        }
    }

    @Test func aProductManifestPutsItsFoldersBeforeTheBuiltinOnes() throws {
        let repository = try Repository.find(from: Self.product + "/Images/product.yaml", builtin: Self.builtin)
        #expect(repository.root == Fixtures.packageRoot)
        #expect(repository.home == Self.product)
        #expect(repository.searchPath == [Self.product, Self.fixtures + "/vendor", Fixtures.packageRoot])
        #expect(repository.boardNames().contains("product-board"))
        #expect(repository.boardNames().contains("qemu-virt-arm64"))
        #expect(repository.layerNames().contains("tone"))
        #expect(repository.layerNames().contains("sndif"))
        #expect(repository.imagePaths().map { ($0 as NSString).lastPathComponent }.contains("product.yaml"))
    }

    @Test func anImageCombinesItsBoardABuiltinLayerAndAVendorLayer() throws {
        let configuration = try Self.load("product")
        #expect(configuration.board.name == "product-board")
        #expect(configuration.layers.map(\.name) == ["kbdif", "tone"])
        #expect(configuration.layers[0].directory == Fixtures.packageRoot + "/Layers/kbdif")
        #expect(configuration.layers[1].directory == Self.fixtures + "/vendor/Layers/tone")
        #expect(configuration.layers[0].backendPackage == nil)
        #expect(configuration.layers[1].backendPackage == Self.fixtures + "/vendor/backends/tone")
        #expect(configuration.repository.root == Fixtures.packageRoot)
    }

    @Test func aNameFoundTwiceIsAnErrorNamingBothFiles() throws {
        let diagnostics = Self.diagnostics("twice")
        #expect(diagnostics.count == 1)
        let diagnostic = try #require(diagnostics.first)
        // Reported at the image line naming the layer.
        #expect(diagnostic.location == SourceLocation(path: Self.product + "/Images/twice.yaml", line: 7, column: 12))
        #expect(diagnostic.message.hasPrefix("layer 'kbdif' is defined twice: "))
        #expect(diagnostic.message.contains(Self.shown(Self.fixtures + "/extra/Layers/kbdif/layer.yaml") + ":1:1"))
        #expect(diagnostic.message.contains(Self.shown(Fixtures.packageRoot + "/Layers/kbdif/layer.yaml") + ":1:1"))
        #expect(diagnostic.message.contains("overrides: [kbdif]"))
    }

    @Test func anIncludeThatOverridesANameWins() throws {
        let configuration = try Self.load("wins")
        #expect(configuration.layers.map(\.directory) == [Self.fixtures + "/extra/Layers/kbdif"])
        #expect(configuration.repository.searchPath.first == Self.fixtures + "/extra")
    }

    @Test func twoBackendsOfOneExecutableNameAreRefused() {
        let diagnostics = Self.diagnostics("clash")
        #expect(diagnostics.map(\.location) == [SourceLocation(path: Self.product + "/Images/clash.yaml", line: 8, column: 12)])
        #expect(diagnostics.first?.message == "layer 'kbd2' builds backend executable 'kbdif-backend' from"
            + " \(Self.fixtures)/vendor/backends/tone, and layer 'kbdif' builds one of the same name from the"
            + " driverdom package; rename one")
    }

    @Test func aMissingIncludeIsReportedWhereItIsNamed() {
        let diagnostics = Self.diagnostics("missing-include")
        #expect(diagnostics.map(\.location) == [SourceLocation(path: Self.product + "/Images/missing-include.yaml",
                                                               line: 4, column: 12)])
        #expect(diagnostics.first?.message.hasPrefix("included folder '../no-such-folder' does not exist") == true)
    }

    @Test func aMissingBoardNamesEveryFolderSearched() throws {
        let repository = try Repository.find(from: Self.product, builtin: Self.builtin)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-product-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = folder.appendingPathComponent("image.yaml").path
        try """
            format: 1
            name: image
            board: nope
            layers: []
            driver_domain: {name: DomD, mode: separate, memory: 256MiB, vcpus: 1}
            outputs: [initramfs]
            """.write(toFile: image, atomically: true, encoding: .utf8)
        #expect {
            try repository.loadImage(at: image)
        } throws: { error in
            guard case ConfigError.validationFailed(let diagnostics) = error else { return false }
            return diagnostics.contains {
                $0.location == SourceLocation(path: image, line: 3, column: 8)
                    && $0.message.hasPrefix("board 'nope' not found: no file Boards/nope.yaml in any of ")
                    && $0.message.contains(Self.shown(Self.fixtures + "/vendor"))
            }
        }
    }

    @Test func anImageOutsideAnyRepositoryUsesTheBuiltinCollection() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-loose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = folder.appendingPathComponent("qemu.yaml").path
        try FileManager.default.copyItem(atPath: Fixtures.packageRoot + "/Images/qemu-virt-arm64.yaml", toPath: image)
        let configuration = try Repository.find(from: image, builtin: Self.builtin).loadImage(at: image)
        #expect(configuration.repository.root == Fixtures.packageRoot)
        #expect(configuration.board.name == "qemu-virt-arm64")
        #expect(throws: ConfigError.repositoryNotFound(start: image)) {
            try Repository.find(from: image, builtin: nil)
        }
    }

    @Test func aBackendPackageWithoutPackageSwiftIsReportedAtItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-vendor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Layers/tone"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = try String(contentsOfFile: Self.fixtures + "/vendor/Layers/tone/layer.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "package: ../../backends/tone", with: "package: ../../nowhere")
        let file = folder.appendingPathComponent("Layers/tone/layer.yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let repository = Repository(root: Fixtures.packageRoot,
                                    searchFolders: [SearchFolder(path: folder.path, namedAt: SourceLocation(path: "x", line: 1, column: 1))])
        #expect(throws: ConfigError.validationFailed([Diagnostic(
            location: SourceLocation(path: file, line: 9, column: 12),
            message: "backend package '../../nowhere' has no Package.swift (looked in \(folder.path)/nowhere)")])) {
            try repository.loadLayer(named: "tone")
        }
    }

    @Test func aProductManifestWithoutBuiltinsSaysWhatToDo() {
        #expect(throws: ConfigError.builtinNotFound(needed: Self.product + "/driverdom.yaml")) {
            try Repository.find(from: Self.product + "/Images/product.yaml", builtin: nil)
        }
    }
}

/// Where the running binary finds its built-in boards, layers and package.
@Suite struct BuiltinLookupTests {
    /// A fake installed tree: `PREFIX/bin/driverdom` and `PREFIX/share/driverdom/{Package.swift,Boards,Layers}`.
    static func makeInstalledTree() throws -> (prefix: String, remove: () -> Void) {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-prefix-\(UUID().uuidString)").path
        let share = prefix + "/share/driverdom"
        for folder in [prefix + "/bin", share + "/Boards", share + "/Layers"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try "// swift-tools-version: 6.1\n".write(toFile: share + "/Package.swift", atomically: true, encoding: .utf8)
        try "#!/bin/sh\n".write(toFile: prefix + "/bin/driverdom", atomically: true, encoding: .utf8)
        return (prefix, { try? FileManager.default.removeItem(atPath: prefix) })
    }

    @Test func anInstalledBinaryFindsShareDriverdomNextToIt() throws {
        let tree = try Self.makeInstalledTree()
        defer { tree.remove() }
        let found = Repository.builtin(executable: tree.prefix + "/bin/driverdom", environment: [:])
        #expect(found?.root == tree.prefix + "/share/driverdom")
    }

    @Test func aSymlinkOnThePathIsFollowedToTheInstalledBinary() throws {
        let tree = try Self.makeInstalledTree()
        defer { tree.remove() }
        let link = tree.prefix + "-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tree.prefix + "/bin/driverdom")
        defer { try? FileManager.default.removeItem(atPath: link) }
        #expect(Repository.builtin(executable: link, environment: [:])?.root == tree.prefix + "/share/driverdom")
    }

    @Test func aCheckoutBuildFindsTheCheckout() {
        let binary = Fixtures.packageRoot + "/.build/x86_64-unknown-linux-gnu/debug/driverdom"
        #expect(Repository.builtin(executable: binary, environment: [:])?.root == Fixtures.packageRoot)
        // The test binary itself lives in this checkout's .build.
        #expect(Repository.builtin()?.root == Fixtures.packageRoot)
    }

    @Test func driverdomHomeWinsAndMustBeAPackage() throws {
        let tree = try Self.makeInstalledTree()
        defer { tree.remove() }
        let binary = Fixtures.packageRoot + "/.build/debug/driverdom"
        #expect(Repository.builtin(executable: binary, environment: ["DRIVERDOM_HOME": tree.prefix + "/share/driverdom"])?.root
            == tree.prefix + "/share/driverdom")
        #expect(Repository.builtin(executable: binary, environment: ["DRIVERDOM_HOME": tree.prefix]) == nil)
    }

    @Test func aBinaryWithNothingAroundItHasNoBuiltins() {
        #expect(Repository.builtin(executable: "/usr/bin/env", environment: [:]) == nil)
    }
}
