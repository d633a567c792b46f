// SPDX-License-Identifier: Apache-2.0
import Foundation
import ImageFormats
import RootfsAssembly
import Testing

@Suite("Reproducibility")
struct ReproducibilityTests {
    /// Every artifact of one build, written into `folder`.
    func build(_ rootfs: StagedTree, _ boot: StagedTree, in folder: TemporaryFolder) throws -> [String: [UInt8]] {
        let initramfs = try folder.write("initramfs.cpio.gz", CPIOArchive.compressedArchive(rootfs, epoch: Fixtures.epoch))
        let ext4 = folder.file("rootfs.ext4")
        try Ext4Image.write(rootfs, to: ext4, options: Ext4Options(name: "repro/rootfs", label: "rootfs", epoch: Fixtures.epoch))
        let vfat = folder.file("boot.vfat")
        try FATImage.write(boot, to: vfat, options: FATOptions(name: "repro/boot", label: "BOOT", epoch: Fixtures.epoch, size: 8 << 20))
        let disk = folder.file("disk.img")
        let result = try DiskImage.write(partitions: [
            PartitionSpec(name: "boot", type: .microsoftBasicData, size: 8 << 20, contentPath: vfat),
            PartitionSpec(name: "rootfs", type: .linuxFilesystem, size: nil, contentPath: ext4),
        ], to: disk, options: DiskImageOptions(imageName: "repro"))
        let bmap = try folder.write("disk.bmap", Array(Bmap.create(imagePath: disk, mappedByteRanges: result.mappedRanges).xml().utf8))
        let manifest = try folder.write("manifest.json", Array(Manifest(rootfs: [(name: "domd", tree: rootfs)]).jsonData()))
        var artifacts: [String: [UInt8]] = [:]
        for path in [initramfs, ext4, vfat, disk, bmap, manifest] {
            artifacts[(path as NSString).lastPathComponent] = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        }
        return artifacts
    }

    @Test("two builds in different folders give byte-identical cpio.gz, ext4, FAT, disk, bmap and manifest",
          .enabled(if: Tools.available("mke2fs", "debugfs", "mkfs.vfat", "mmd", "mcopy"), "needs e2fsprogs, dosfstools and mtools"))
    func twoBuilds() throws {
        let sources = try TemporaryFolder()
        let host = try sources.write("sndbe", (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let rootfs = try Fixtures.rootfs(hostFile: host)
        let boot = try Fixtures.bootTree()
        let first = try build(rootfs, boot, in: TemporaryFolder())
        Thread.sleep(forTimeInterval: 1.1) // make any leaked wall-clock time visible
        let second = try build(rootfs, boot, in: TemporaryFolder())
        #expect(first.keys.sorted() == ["boot.vfat", "disk.bmap", "disk.img", "initramfs.cpio.gz", "manifest.json", "rootfs.ext4"])
        for name in first.keys.sorted() {
            #expect(first[name] == second[name], "\(name) differs between builds")
        }
    }

    @Test("CRC32 is the IEEE polynomial GPT uses")
    func crc32() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
