// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The example product repo built with the installed tool: `Scripts/install.sh`
/// (given the built binary) into a temporary PREFIX, `Examples/product` copied
/// to a temporary folder outside the checkout, and `driverdom build` run there
/// with only the installed tool, on the user's build cache like the other
/// end-to-end builds (so the steps the product shares with the default image —
/// packages, the init, sndif — come from the cache; its board, its keymap
/// layer and its vendor backend package are its own).
@Suite("the example product built by the installed tool", .serialized,
       .enabled(if: EndToEnd.skipReason == nil, EndToEnd.skipReason ?? ""))
struct ProductEndToEndTests {
    @Test func theExampleProductBuildsFromAFolderOutsideTheCheckout() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-product-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let prefix = base.appendingPathComponent("prefix").path
        let install = try DriverdomProcess.run([repositoryRoot.appendingPathComponent("Scripts/install.sh").path,
                                                "--binary", try #require(DriverdomProcess.executable), prefix])
        #expect(install.status == 0, "\(install.stderr)")
        let product = base.appendingPathComponent("product")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Examples/product"), to: product)

        let build = try DriverdomProcess.run([prefix + "/bin/driverdom", "build", "Images/product.yaml", "--json"],
                                             environment: ["DRIVERDOM_CACHE": EndToEnd.cache, "DRIVERDOM_HOME": ""],
                                             in: product)
        #expect(build.status == 0, "\(build.stderr.suffix(3000))")
        #expect(build.finishedSteps["compile:keymap-backend"] != nil, "no step compiled the vendor backend")
        let out = product.appendingPathComponent("out/product")
        for file in ["domd-initramfs.cpio.gz", "disk.img", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) is missing")
        }
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("/usr/bin/keymap-backend"))
        #expect(manifest.contains("/usr/bin/sndif-backend"))
    }
}
