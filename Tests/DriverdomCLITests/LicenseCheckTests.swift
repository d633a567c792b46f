// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `driverdom check` against the license policy, in a copy of the repository
/// whose kbdif layer adds a package (a real .deb made here) licensed GPL-3.0-only,
/// which the site-wide license-policy.yaml denies.
@Suite(.enabled(if: ToolRun.executable != nil, "the driverdom executable was not built next to the tests"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-deb"),
                "dpkg-deb is not installed (.ci/install-deps installs it)"))
struct LicenseCheckTests {
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("license-check-\(UUID().uuidString)")

    private func run(_ arguments: [String], in folder: URL? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The SHA256 of `file` by `sha256sum` (coreutils).
    private func sha256sum(_ file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    /// A minimal arm64 .deb whose machine-readable copyright says GPL-3.
    private func makeDeb(name: String) throws -> URL {
        let root = scratch.appendingPathComponent("deb-root")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("DEBIAN"), withIntermediateDirectories: true)
        try "Package: \(name)\nVersion: 1.0\nArchitecture: arm64\nMaintainer: Test <test@example.invalid>\nDescription: test\n"
            .write(to: root.appendingPathComponent("DEBIAN/control"), atomically: true, encoding: .utf8)
        let doc = root.appendingPathComponent("usr/share/doc/\(name)")
        try FileManager.default.createDirectory(at: doc, withIntermediateDirectories: true)
        try """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

            Files: *
            Copyright: 2026 Nobody
            License: GPL-3

            """.write(to: doc.appendingPathComponent("copyright"), atomically: true, encoding: .utf8)
        let deb = scratch.appendingPathComponent("\(name)_1.0_arm64.deb")
        #expect(try run(["dpkg-deb", "--root-owner-group", "-b", root.path, deb.path]) == 0)
        return deb
    }

    @Test func aLayerAddingADeniedPackageFailsWithTheLocatedRule() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let repo = scratch.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("Images"), withIntermediateDirectories: true)
        let root = URL(fileURLWithPath: ToolRun.packageRoot)
        for item in ["Boards", "Layers", "license-policy.yaml", "Images/qemu-virt-arm64.yaml"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(item), to: repo.appendingPathComponent(item))
        }
        // The layer adds the package on a line of its own.
        let layerFile = repo.appendingPathComponent("Layers/kbdif/layer.yaml")
        var layer = try String(contentsOf: layerFile, encoding: .utf8)
        let packagesLine = try #require(layer.split(separator: "\n").first { $0.hasPrefix("packages:") })
        layer = layer.replacingOccurrences(of: String(packagesLine), with: "packages:\n  - libc6\n  - gplthree")
        try layer.write(to: layerFile, atomically: true, encoding: .utf8)
        let packageLine = layer.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0 == "  - gplthree" }! + 1

        // The lock pins it; the package cache holds its verified .deb (nothing else).
        let deb = try makeDeb(name: "gplthree")
        let data = try Data(contentsOf: deb)
        let sha256 = try sha256sum(deb)
        var lock = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("Images/qemu-virt-arm64.lock"))) as? [String: Any])
        var packages = try #require(lock["packages"] as? [[String: Any]])
        packages.append(["name": "gplthree", "version": "1.0", "architecture": "arm64", "sha256": sha256,
                         "size": data.count, "filename": "pool/main/g/gplthree/gplthree_1.0_arm64.deb",
                         "sets": ["image"]])
        lock["packages"] = packages
        try JSONSerialization.data(withJSONObject: lock, options: [.prettyPrinted, .sortedKeys])
            .write(to: repo.appendingPathComponent("Images/qemu-virt-arm64.lock"))
        let cache = scratch.appendingPathComponent("cache")
        let archives = cache.appendingPathComponent("packages/apt/arm64/archives")
        try FileManager.default.createDirectory(at: archives, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: deb, to: archives.appendingPathComponent(deb.lastPathComponent))

        let check = try ToolRun(["check", "Images/qemu-virt-arm64.yaml", "--cache", cache.path], in: repo.path)
        #expect(check.status == 2)
        #expect(check.stdout.isEmpty)
        let error = "Layers/kbdif/layer.yaml:\(packageLine):5: error: package 'gplthree' 1.0 (Debian source gplthree 1.0)"
            + " is licensed 'GPL-3.0-only': 'GPL-3.0-only' is denied by the rule at license-policy.yaml:6:8"
        #expect(check.stderrLines.contains(error), "\(check.stderr)")
        #expect(check.stderrLines.last == "driverdom: error: Unable to check Images/qemu-virt-arm64.yaml:"
            + " the license policy refuses 1 component")
        // What it could not read is said, not failed.
        #expect(check.stderr.contains("driverdom: note: not in the package cache"))

        // Without the denial the same image passes.
        let policy = repo.appendingPathComponent("license-policy.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8)
        try text.replacingOccurrences(of: "deny: [GPL-3.0-only, ", with: "deny: [")
            .write(to: policy, atomically: true, encoding: .utf8)
        let allowed = try ToolRun(["check", "Images/qemu-virt-arm64.yaml", "--cache", cache.path], in: repo.path)
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }
}
