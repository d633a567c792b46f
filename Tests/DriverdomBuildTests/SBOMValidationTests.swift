// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The independent SPDX tools .ci/install-deps puts in a virtualenv under the build cache.
enum SPDXTools {
    /// `$DRIVERDOM_TOOLS_VENV`, else `python-tools` in `$DRIVERDOM_CACHE`, `$XDG_CACHE_HOME/driverdom` or `~/.cache/driverdom`.
    static var venv: String {
        let environment = ProcessInfo.processInfo.environment
        if let venv = environment["DRIVERDOM_TOOLS_VENV"] { return venv }
        let cache = environment["DRIVERDOM_CACHE"]
            ?? environment["XDG_CACHE_HOME"].map { $0 + "/driverdom" }
            ?? NSHomeDirectory() + "/.cache/driverdom"
        return cache + "/python-tools"
    }

    static func tool(_ name: String) -> String? {
        let path = venv + "/bin/" + name
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static var skipReason: Comment? {
        if let reason = EndToEnd.skipReason { return reason }
        if tool("pyspdxtools") == nil || tool("ntia-checker") == nil {
            return "pyspdxtools or ntia-checker is not in \(venv) (.ci/install-deps installs them)"
        }
        return nil
    }
}

/// The SBOMs of the default and the cockpit image, checked by tools that are not
/// ours: spdx-tools' validator and the NTIA minimum elements checker.
@Suite("SBOM validated by independent SPDX tools", .serialized,
       .enabled(if: SPDXTools.skipReason == nil, SPDXTools.skipReason ?? ""))
struct SBOMValidationTests {
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sbom-\(UUID().uuidString)")

    private func build(_ image: String) throws -> URL {
        let out = scratch.appendingPathComponent(URL(fileURLWithPath: image).deletingPathExtension().lastPathComponent)
        let result = try DriverdomProcess.run([DriverdomProcess.executable!, "build", image, "--json", "--out", out.path],
                                              environment: ["DRIVERDOM_CACHE": EndToEnd.cache], in: repositoryRoot)
        try #require(result.status == 0, "build of \(image) failed: \(result.stderr)")
        return out
    }

    private func validate(_ sbom: URL) throws -> (spdx: DriverdomProcess, ntia: DriverdomProcess) {
        (try DriverdomProcess.run([SPDXTools.tool("pyspdxtools")!, "-i", sbom.path]),
         try DriverdomProcess.run([SPDXTools.tool("ntia-checker")!, sbom.path]))
    }

    @Test(arguments: ["Images/qemu-virt-arm64.yaml", "Images/rcar-h3-cockpit.yaml"])
    func sbomPassesBothValidatorsAndMatchesTheManifest(image: String) throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = try build(image)
        let sbom = out.appendingPathComponent("sbom.spdx.json")
        let (spdx, ntia) = try validate(sbom)
        #expect(spdx.status == 0, "pyspdxtools rejected \(image)'s SBOM: \(spdx.stdout) \(spdx.stderr)")
        #expect(ntia.status == 0 && ntia.stdout.contains("Conformant: True"),
                "ntia-checker: \(ntia.stdout) \(ntia.stderr)")
        #expect(!(ntia.stdout + ntia.stderr).contains("floating"), "every component hangs in the tree")

        // Every regular file of every rootfs is in the SBOM with the manifest's SHA256.
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: sbom)) as? [String: Any])
        let manifest = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any])
        let files = try #require(document["files"] as? [[String: Any]])
        func sha256(_ file: [String: Any]) -> String? {
            (file["checksums"] as? [[String: String]])?.first { $0["algorithm"] == "SHA256" }?["checksumValue"]
        }
        let sbomHashes = Set(files.compactMap { file in sha256(file).map { "\(file["fileName"]!) \($0)" } })
        for rootfs in try #require(manifest["rootfs"] as? [[String: Any]]) {
            for file in try #require(rootfs["files"] as? [[String: Any]]) where file["type"] as? String == "file" {
                let key = ".\(file["path"]!) \(file["sha256"]!)"
                #expect(sbomHashes.contains(key), "\(rootfs["name"]!): \(key) is not in the SBOM")
            }
        }
        // A backend is generated from its driverdom component; a library from its Debian package.
        let relationships = try #require(document["relationships"] as? [[String: String]])
        let backend = try #require(files.first { $0["fileName"] as? String == "./usr/bin/kbdif-backend" })
        #expect(relationships.contains { $0["spdxElementId"] == backend["SPDXID"] as? String
            && $0["relationshipType"] == "GENERATED_FROM"
            && $0["relatedSpdxElement"] == "SPDXRef-Package-driverdom-kbdif-backend" })
        let packages = try #require(document["packages"] as? [[String: Any]])
        let libc = try #require(packages.first { $0["name"] as? String == "libc6" })
        #expect((libc["downloadLocation"] as? String)?.contains("/pool/main/g/glibc/libc6_") == true)
        #expect(libc["licenseConcluded"] as? String == "LGPL-2.1-or-later AND BSD-3-Clause AND ISC AND Inner-Net-2.0")
        #expect(libc["licenseDeclared"] as? String == "NOASSERTION")
        #expect((libc["licenseComments"] as? String)?.contains("not machine-readable") == true)

        // The copyright files are on board and cost something in the size report.
        let sizes = try String(contentsOf: out.appendingPathComponent("domd-sizes.txt"), encoding: .utf8)
        #expect(sizes.contains("license texts"))
        #expect(files.contains { $0["fileName"] as? String == "./usr/share/doc/libc6/copyright" })
    }

    @Test func theValidatorRejectsAFileWithoutItsChecksums() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = try build("Images/qemu-virt-arm64.yaml")
        let sbom = out.appendingPathComponent("sbom.spdx.json")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: sbom)) as? [String: Any])
        var files = try #require(document["files"] as? [[String: Any]])
        let index = try #require(files.firstIndex { $0["fileName"] as? String == "./init" })
        let id = try #require(files[index]["SPDXID"] as? String)
        files[index].removeValue(forKey: "checksums")
        document["files"] = files
        let broken = scratch.appendingPathComponent("broken.spdx.json")
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]).write(to: broken)
        let (spdx, ntia) = try validate(broken)
        #expect(spdx.status != 0, "pyspdxtools accepted a file without checksums")
        #expect((spdx.stdout + spdx.stderr).contains("checksums"), "\(spdx.stdout) \(spdx.stderr)")
        #expect(ntia.status != 0 || !ntia.stdout.contains("Conformant: True"), "\(id): \(ntia.stdout)")
    }
}
