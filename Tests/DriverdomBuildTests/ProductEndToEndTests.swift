// SPDX-License-Identifier: Apache-2.0
import DomDInit
import DriverdomBuild
import Foundation
import RootfsAssembly
import Testing

/// Repositories outside the checkout built with the installed tool:
/// `Scripts/install.sh` (given the built binary) into a temporary PREFIX, each
/// repository copied to a temporary folder, and `driverdom build` run there with
/// only the installed tool, on the user's build cache like the other end-to-end
/// builds (their boards, layers and vendor backend packages are their own). One
/// install serves both repositories, so the fixture's build takes the init from
/// the product's, and their backend packages name the same driverdom package and
/// share one scratch folder: the fixture's backend reuses the driverdom modules
/// (XenCore, XenLinux, CLinux) the product's compiled.
@Suite("product repos built by the installed tool", .serialized,
       .enabled(if: EndToEnd.skipReason == nil, EndToEnd.skipReason ?? ""))
struct ProductEndToEndTests {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-product-\(UUID().uuidString)")
    var driverdom: String { base.path + "/prefix/bin/driverdom" }

    /// `driverdom build IMAGE --json` in `repository` with the installed tool.
    func build(_ image: String, in repository: URL) throws -> DriverdomProcess {
        try DriverdomProcess.run([driverdom, "build", image, "--json"],
                                 environment: ["DRIVERDOM_CACHE": EndToEnd.cache, "DRIVERDOM_HOME": ""], in: repository)
    }

    /// `folder` of the checkout copied into `base`.
    func copy(_ folder: String) throws -> URL {
        let copy = base.appendingPathComponent(URL(fileURLWithPath: folder).lastPathComponent)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(folder), to: copy)
        return copy
    }

    @Test func theExampleProductAndTheFifthLayerFixtureBuildFromFoldersOutsideTheCheckout() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let install = try DriverdomProcess.run([repositoryRoot.appendingPathComponent("Scripts/install.sh").path,
                                                "--binary", try #require(DriverdomProcess.executable), base.path + "/prefix"])
        try #require(install.status == 0, "\(install.stderr)")
        try exampleProduct()
        try fifthLayerFixture()
    }

    /// `Examples/product`: its board, its vendor `keymap` layer and the built-in sndif.
    func exampleProduct() throws {
        let product = try copy("Examples/product")
        let build = try build("Images/product.yaml", in: product)
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

    /// The fifth-layer fixture (`Tests/Fixtures/fifth-layer`, see FifthLayerTests): a layer of a
    /// protocol no host module knows, whose backend package exists only under Tests/, builds
    /// into a test image: its backend is cross-compiled into DomD's rootfs, its service entry
    /// carries the arguments its layer.yaml maps, and the backend's own parser accepts them.
    func fifthLayerFixture() throws {
        let fixture = try copy("Tests/Fixtures/fifth-layer")
        let build = try build("Images/fifth.yaml", in: fixture)
        try #require(build.status == 0, "\(build.stderr.suffix(3000))")
        #expect(build.finishedSteps["compile:vtone-backend"] != nil, "no step compiled the fixture's backend")

        let root = base.appendingPathComponent("fifth-domd")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let initramfs = fixture.appendingPathComponent("out/fifth/domd-initramfs.cpio.gz").path
        let unpack = try DriverdomProcess.run(["sh", "-c", "gzip -dc '\(initramfs)' | cpio -idm --quiet"], in: root)
        try #require(unpack.status == 0, "cannot unpack DomD's initramfs: \(unpack.stderr)")

        let program = "/usr/bin/vtone-backend"
        let elf = try ELFFile(bytes: Array(Data(contentsOf: root.appendingPathComponent(program))), path: program)
        #expect(elf.machine == 183, "\(program) is an aarch64 executable")

        let table = try ServiceTableParser.parse(String(contentsOf: root.appendingPathComponent(DomDRootfs.serviceTablePath),
                                                        encoding: .utf8))
        let service = try #require(table.services.first { $0.name == "vtone" })
        #expect(service.program == program)
        // The layer's options by name (fade_in: true, frequency: 1000), then loopback-sound's card and PCM.
        let arguments = ["--fade", "--hz", "1000", "--card", "Loopback", "hw:Loopback,0,0"]
        #expect(service.arguments == arguments)

        // Its own parser accepts them: it reports the tone they describe, then fails for want of
        // Xen (status 1); a frequency out of its range is a usage error (status 2).
        let backend = try DriverdomProcess.run(["qemu-aarch64-static", "-L", root.path, root.path + program] + arguments)
        #expect(backend.status == 1, "\(backend.stdout)\(backend.stderr)")
        #expect(backend.stdout.contains("vtone-backend: 1000 Hz tone with fade-in for card Loopback hw:Loopback,0,0\n"))
        #expect(backend.stdout.contains("vtone-backend: Unable to open Xen"))
        let refused = try DriverdomProcess.run(["qemu-aarch64-static", "-L", root.path, root.path + program, "--hz", "30000"])
        #expect(refused.status == 2)
        #expect(refused.stdout.contains("vtone-backend: --hz needs a frequency from 1 to 24000 Hz, not '30000'"))
        #expect(refused.stdout.contains("usage: vtone-backend"))
    }
}
