// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import Testing
@testable import XenConfig

@Suite("U-Boot boot script")
struct UBootScriptTests {
    static let mkimage: String? = ["/usr/bin/mkimage", "/usr/local/bin/mkimage"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("boot.scr is byte-identical to mkimage's, stamped with SOURCE_DATE_EPOCH",
          .enabled(if: mkimage != nil, "needs mkimage (Debian: u-boot-tools)"))
    func scriptImageMatchesMkimage() throws {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        configuration.image.sourceDateEpoch = 1_767_225_600
        let compiler = RecordingDeviceTreeCompiler(result: .success([0xd0, 0x0d, 0xfe, 0xed]))
        let files = try XenConfigGenerator().files(for: configuration, compiler: compiler)
        let script = try #require(files.first { $0.name == "boot.cmd" })
        let image = try #require(files.first { $0.name == "boot.scr" })

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uboot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(script.bytes).write(to: folder.appendingPathComponent("boot.cmd"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.mkimage))
        process.arguments = ["-A", "arm64", "-O", "linux", "-T", "script", "-C", "none",
                             "-d", folder.appendingPathComponent("boot.cmd").path,
                             folder.appendingPathComponent("reference.scr").path]
        process.environment = ["SOURCE_DATE_EPOCH": "1767225600"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let reference = try Data(contentsOf: folder.appendingPathComponent("reference.scr"))
        #expect(Array(reference) == image.bytes)
    }

    @Test("the script loads the board's DTB, applies the overlay, and boots Xen with dom0's modules")
    func scriptFollowsTheBoard() throws {
        let configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let text = try #require(try UBootScriptWriter().text(for: configuration, hostOverlay: "host-passthrough.dtbo"))
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(lines.first == "load mmc 0:1 0x48200000 r8a77951-salvator-xs.dtb")
        #expect(lines.contains("fdt apply 0x49000000"))
        #expect(lines.contains("fdt set /chosen/dom0 reg <0x0 0x49000000 0x0 0x${filesize}>"))
        #expect(lines.contains("fdt set /chosen/dom0-ramdisk reg <0x0 0x50000000 0x0 0x${filesize}>"))
        #expect(lines.last == "booti 0x48400000 - 0x48200000")
        // The kernel is loaded after the overlay was applied from the same slot.
        let apply = try #require(lines.firstIndex(of: "fdt apply 0x49000000"))
        let kernel = try #require(lines.firstIndex(of: "load mmc 0:1 0x49000000 vmlinuz"))
        #expect(apply < kernel)
    }

    @Test("a QEMU board has no boot script")
    func qemuBoardHasNoScript() throws {
        let configuration = try TestSupport.configuration(image: "qemu-virt-arm64")
        #expect(try UBootScriptWriter().text(for: configuration, hostOverlay: nil) == nil)
    }

    @Test("a U-Boot board without a boot device is named in the error")
    func missingBootDevice() throws {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        configuration.board.boot.bootDevice = nil
        #expect(throws: XenConfigError.bootFactMissing(board: "rcar-h3-salvator-xs", field: "boot.boot_device")) {
            try UBootScriptWriter().text(for: configuration, hostOverlay: nil)
        }
    }
}
