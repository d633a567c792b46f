// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `Scripts/install.sh` into a temporary PREFIX, then the installed `driverdom`
/// run from folders outside the checkout. The script is given the already built
/// binary (`--binary`): a release build is minutes of work the suite must not pay;
/// what is tested is the layout and the lookup of the built-in collection from
/// the installed binary's own path.
@Suite(.enabled(if: ToolRun.executable != nil, "the driverdom executable was not built next to the tests"))
struct InstallTests {
    @Test func theInstalledToolChecksAndConfiguresABuiltinImageFromAnotherFolder() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let prefix = base + "/prefix"
        let elsewhere = base + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)

        let install = Process()
        install.executableURL = URL(fileURLWithPath: ToolRun.packageRoot + "/Scripts/install.sh")
        install.arguments = ["--binary", try #require(ToolRun.executable), prefix]
        install.standardOutput = FileHandle.nullDevice
        try install.run()
        install.waitUntilExit()
        #expect(install.terminationStatus == 0)
        let share = prefix + "/share/driverdom"
        for item in ["Package.swift", "Sources/kbdif-backend", "Sources/driverdom-init", "Boards/qemu-virt-arm64.yaml",
                     "Layers/sndif/layer.yaml", "Images/qemu-virt-arm64.lock", "LICENSE", "license-policy.yaml"] {
            #expect(FileManager.default.fileExists(atPath: share + "/" + item), "\(item) is not installed")
        }
        #expect(!FileManager.default.fileExists(atPath: share + "/.build"))

        // From a folder with no Boards/ or Layers/ above it, no DRIVERDOM_HOME: the binary's own path decides.
        let tool = prefix + "/bin/driverdom"
        let environment = ["DRIVERDOM_HOME": ""]
        let image = share + "/Images/qemu-virt-arm64.yaml"
        let check = try ToolRun(["check", image], in: elsewhere, executable: tool, environment: environment)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "\(image): ok (board qemu-virt-arm64, 4 layers, 1 guest)\n")

        // An image of its own in that folder, naming the built-in board and layers.
        try FileManager.default.copyItem(atPath: image, toPath: elsewhere + "/mine.yaml")
        let config = try ToolRun(["config", "mine.yaml", "--out", "xen"], in: elsewhere, executable: tool,
                                 environment: environment)
        #expect(config.status == 0, "\(config.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/xen/domd.cfg"))

        let layers = try ToolRun(["layers"], in: elsewhere, executable: tool, environment: environment)
        #expect(layers.status == 0, "\(layers.stderr)")
        #expect(["kbdif", "sndif", "displif", "usbif"].allSatisfy { layers.stdout.contains($0) })

        // The example product repo, copied out of the checkout: its board, its vendor layer, a built-in layer.
        let product = base + "/product"
        try FileManager.default.copyItem(atPath: ToolRun.packageRoot + "/Examples/product", toPath: product)
        let checkProduct = try ToolRun(["check", "Images/product.yaml"], in: product, executable: tool, environment: environment)
        #expect(checkProduct.status == 0, "\(checkProduct.stderr)")
        #expect(checkProduct.stdout == "Images/product.yaml: ok (board product-virt-arm64, 2 layers, 1 guest)\n")
        let productLayers = try ToolRun(["layers"], in: product, executable: tool, environment: environment)
        let keymap = productLayers.stdout.split(separator: "\n").first { $0.hasPrefix("keymap ") }
        #expect(keymap.map { CLITests.cells(String($0)) } == ["keymap", "vkb", "vinput", "input", "keymap-backend", "GPL-2.0-only OR MIT"])
    }
}
