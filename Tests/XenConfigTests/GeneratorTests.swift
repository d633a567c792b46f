// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing
import XenConfig

@Suite("Generated file set")
struct GeneratorTests {
    @Test("each device-tree source is followed by its compiled form; the overlay is compiled as a plugin")
    func compiledFiles() throws {
        let configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let compiler = RecordingDeviceTreeCompiler(result: .success([1, 2, 3]))
        let files = try XenConfigGenerator().files(for: configuration, compiler: compiler)
        #expect(files.map(\.name) == [
            "domd.cfg", "domd-passthrough.dts", "domd-passthrough.dtb",
            "host-passthrough.dtso", "host-passthrough.dtbo", "boot.cmd", "boot.scr", "guest-Cluster.cfg", "guest-IVI.cfg",
        ])
        #expect(compiler.calls.map(\.overlay) == [false, true])
        let sources = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0) })
        #expect(compiler.calls.first?.source == sources["domd-passthrough.dts"]?.text)
        #expect(compiler.calls.last?.source == sources["host-passthrough.dtso"]?.text)
        #expect(sources["domd-passthrough.dtb"]?.bytes == [1, 2, 3])
    }

    @Test("a failing compiler stops generation with its error")
    func compilerFailure() throws {
        let configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let failure = XenConfigError.dtcFailed(arguments: ["-I", "dts"], status: 1, output: "syntax error")
        let compiler = RecordingDeviceTreeCompiler(result: .failure(failure))
        #expect(throws: failure) {
            _ = try XenConfigGenerator().files(for: configuration, compiler: compiler)
        }
        #expect(compiler.calls.count == 1)
    }

    @Test("DomD's boot file paths come from DomDFiles")
    func domdFiles() throws {
        let configuration = try TestSupport.configuration(image: "qemu-virt-arm64")
        let files = DomDFiles(kernel: "/boot/domd/Image", ramdisk: "/boot/domd/rootfs.cpio.gz",
                              deviceTree: "/boot/domd/pt.dtb")
        let text = try #require(try XenConfigGenerator(domdFiles: files).sources(for: configuration).first?.text)
        #expect(text.contains("kernel = \"/boot/domd/Image\"\n"))
        #expect(text.contains("ramdisk = \"/boot/domd/rootfs.cpio.gz\"\n"))
        #expect(text.contains("device_tree = \"/boot/domd/pt.dtb\"\n"))   // the power button is passed through
    }

    @Test("a missing dtc is reported with the package to install")
    func missingDTC() {
        #expect(throws: XenConfigError.dtcNotFound(searchPath: "/nonexistent")) {
            _ = try SystemDeviceTreeCompiler(searchPath: "/nonexistent")
        }
        #expect(XenConfigError.dtcNotFound(searchPath: "/x").description.contains("device-tree-compiler"))
    }
}
