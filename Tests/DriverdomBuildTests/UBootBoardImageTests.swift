// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// A board booted by U-Boot gets, in its boot partition and beside the disk
/// under `boot/`: the script U-Boot runs, the board's upstream DTB and the host
/// passthrough overlay — and independent tools accept each of them.
enum UBootTools {
    static let missing = ["mkimage", "fdtoverlay", "dtc", "mdir", "sfdisk"].filter { !DriverdomProcess.available($0) }
}

/// A U-Boot board image under test: its file, its board DTB, nodes its overlay passes through.
struct UBootCase: Sendable, CustomTestStringConvertible {
    var image: String
    var dtb: String
    var passedThrough: [String]
    var testDescription: String { image }
}

@Suite("U-Boot board images", .serialized,
       .enabled(if: EndToEnd.skipReason == nil, EndToEnd.skipReason ?? ""),
       .enabled(if: UBootTools.missing.isEmpty, "missing tools: \(UBootTools.missing.joined(separator: ", "))"))
struct UBootBoardImageTests {
    static let cases = [
        // The DTB Debian's kernel package ships; the driver domain is dom0 (no IOMMU on the
        // i.MX8MQ), so nothing is passed through and there is no overlay.
        UBootCase(image: "Images/imx8mq-evk-hmi.yaml", dtb: "imx8mq-evk.dtb", passedThrough: []),
        // A DTB Debian does not ship, compiled from its linux-source; the devices and their
        // DMA and scan-out engines go to DomD.
        UBootCase(image: "Images/rcar-h3-cockpit.yaml", dtb: "r8a77951-salvator-xs.dtb",
                  passedThrough: ["sound@ec500000", "dma-controller@ec700000", "dma-controller@ec720000",
                                  "display@feb00000", "vsp@fea20000", "fcp@fea27000", "fcp@fea37000",
                                  "gpio@e6055400"]),
    ]

    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("uboot-\(UUID().uuidString)")

    @Test(arguments: cases)
    func bootPartitionCarriesScriptBoardDTBAndOverlay(_ testCase: UBootCase) throws {
        let overlay = testCase.passedThrough.isEmpty ? [] : ["host-passthrough.dtbo"]
        let bootFiles = ["boot.cmd", "boot.scr", testCase.dtb, "xen", "vmlinuz", "dom0-initrd.cpio.gz"] + overlay
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out")
        let build = try DriverdomProcess.run([DriverdomProcess.executable!, "build", testCase.image, "--json", "--out", out.path],
                                             environment: ["DRIVERDOM_CACHE": EndToEnd.cache], in: repositoryRoot)
        try #require(build.status == 0, "build failed: \(build.stderr)")
        let boot = out.appendingPathComponent("boot")

        // boot.scr is a U-Boot script image of boot.cmd, and the script loads what the partition holds.
        let listing = try DriverdomProcess.run(["mkimage", "-l", boot.appendingPathComponent("boot.scr").path])
        #expect(listing.status == 0)
        #expect(listing.stdout.contains("Script"), "mkimage -l: \(listing.stdout)")
        let script = try String(contentsOf: boot.appendingPathComponent("boot.cmd"), encoding: .utf8)
        for loaded in [testCase.dtb, "vmlinuz", "dom0-initrd.cpio.gz", "xen"] + overlay {
            #expect(script.contains(" \(loaded)\n"), "boot.cmd does not load \(loaded)")
        }

        // The overlay applies to the board's DTB and marks the passed-through nodes for Xen.
        if testCase.passedThrough.isEmpty {
            #expect(!script.contains("fdt apply"), "a dom0 driver domain needs no overlay")
        } else {
            let merged = scratch.appendingPathComponent("merged.dtb")
            let apply = try DriverdomProcess.run(["fdtoverlay", "-i", boot.appendingPathComponent(testCase.dtb).path,
                                                  "-o", merged.path, boot.appendingPathComponent("host-passthrough.dtbo").path])
            try #require(apply.status == 0, "fdtoverlay refused the overlay: \(apply.stderr)")
            let source = try DriverdomProcess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", merged.path])
            #expect(source.status == 0)
            for node in testCase.passedThrough {
                let block = source.stdout.components(separatedBy: node + " {").dropFirst().first ?? ""
                #expect(block.prefix(400).contains("xen,passthrough"), "\(node) is not marked xen,passthrough")
            }
        }

        // The same files are in the disk's first (vfat) partition.
        let table = try DriverdomProcess.run(["sfdisk", "-J", out.appendingPathComponent("disk.img").path])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(table.stdout.utf8)) as? [String: Any])
        let partitions = try #require((json["partitiontable"] as? [String: Any])?["partitions"] as? [[String: Any]])
        let start = try #require(partitions.first?["start"] as? Int)
        let directory = try DriverdomProcess.run(["mdir", "-b", "-i", "\(out.path)/disk.img@@\(start * 512)", "::"],
                                                 environment: ["MTOOLS_SKIP_CHECK": "1"])
        try #require(directory.status == 0, "mdir: \(directory.stderr)")
        let names = Set(directory.stdout.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") })
        for name in bootFiles {
            #expect(names.contains(name), "the boot partition lacks \(name): \(names.sorted())")
            #expect(FileManager.default.fileExists(atPath: boot.appendingPathComponent(name).path), "boot/\(name) missing")
        }
    }
}
