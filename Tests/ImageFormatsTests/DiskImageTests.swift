// SPDX-License-Identifier: Apache-2.0
import Foundation
import ImageFormats
import RootfsAssembly
import Testing

@Suite("GPT disk image and bmap")
struct DiskImageTests {
    /// A boot (FAT-typed) and a rootfs partition with recognisable content.
    func writeDisk(in folder: TemporaryFolder, name: String = "disk.img") throws -> (path: String, result: DiskImageResult) {
        var boot = [UInt8](repeating: 0, count: 3 << 20)
        boot.replaceSubrange(0..<4, with: [0xeb, 0x3c, 0x90, 0x4d])
        let bootPath = try folder.write("boot.part", boot)
        let rootfs = try folder.write("rootfs.part", Array(repeating: 0x11, count: (1 << 20) + 4096))
        let partitions = [
            PartitionSpec(name: "boot", type: .microsoftBasicData, size: 8 << 20, contentPath: bootPath),
            PartitionSpec(name: "rootfs", type: .linuxFilesystem, size: nil, contentPath: rootfs),
        ]
        let path = folder.file(name)
        let result = try DiskImage.write(partitions: partitions, to: path, options: DiskImageOptions(imageName: "test-image"))
        return (path, result)
    }

    @Test("layout is 1 MiB aligned with GUIDs derived from the image name")
    func layout() throws {
        let folder = try TemporaryFolder()
        let (_, result) = try writeDisk(in: folder)
        let firsts: [UInt64] = [2048, 18432]
        let lasts: [UInt64] = [18431, 22527]
        #expect(result.partitions.map(\.firstLBA) == firsts)
        #expect(result.partitions.map(\.lastLBA) == lasts)
        let sectors: UInt64 = 2048 + 16384 + 4096 + 2048
        #expect(result.size == sectors * 512)
        #expect(result.diskGUID == DeterministicUUID(name: "test-image/disk"))
        #expect(result.partitions[1].guid == DeterministicUUID(name: "test-image/partition/rootfs"))
        #expect(result.partitions[0].guid != result.partitions[1].guid)
    }

    @Test("sfdisk --verify and sgdisk -v accept the disk and see our GUIDs",
          .enabled(if: Tools.available("sfdisk", "sgdisk"), "needs fdisk and gdisk"))
    func externalTools() throws {
        let folder = try TemporaryFolder()
        let (path, result) = try writeDisk(in: folder)
        let sfdisk = try Tools.shell("sfdisk --verify \(Tools.quoted(path))")
        #expect(sfdisk.status == 0 && sfdisk.output.contains("No errors detected"), "\(sfdisk.output)")
        let sgdisk = try Tools.shell("sgdisk -v \(Tools.quoted(path))")
        #expect(sgdisk.status == 0 && sgdisk.output.contains("No problems found"), "\(sgdisk.output)")
        let dump = try Tools.shell("sfdisk --dump \(Tools.quoted(path))")
        #expect(dump.output.lowercased().contains("label-id: \(result.diskGUID)"), "\(dump.output)")
        #expect(dump.output.lowercased().contains("uuid=\(result.partitions[0].guid)"))
        #expect(dump.output.contains("type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"))
        #expect(dump.output.contains("type=0FC63DAF-8483-4772-8E79-3D69D8477DE4"))
        #expect(dump.output.contains("name=\"rootfs\""))
        let info = try Tools.shell("sgdisk -i 1 \(Tools.quoted(path))")
        #expect(info.output.lowercased().contains("unique guid: \(result.partitions[0].guid)"), "\(info.output)")
    }

    @Test("the file is sparse: only tables and content regions are allocated")
    func sparse() throws {
        let folder = try TemporaryFolder()
        let (path, result) = try writeDisk(in: folder)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(UInt64(info.st_blocks) * 512 < result.size / 2)
        let content = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(content[(2048 * 512)..<(2048 * 512 + 4)]) == [0xeb, 0x3c, 0x90, 0x4d])
        #expect(content[(2048 + 16384) * 512] == 0x11)
        #expect(Array(content[512..<520]) == Array("EFI PART".utf8))
        #expect(Array(content[(content.count - 512)..<(content.count - 504)]) == Array("EFI PART".utf8))
        #expect(content[510] == 0x55 && content[511] == 0xaa && content[446 + 4] == 0xee)
    }

    @Test("bmap round-trips, has per-range SHA256, and its own checksum is checked")
    func bmap() throws {
        let folder = try TemporaryFolder()
        let (path, result) = try writeDisk(in: folder)
        let bmap = try Bmap.create(imagePath: path, mappedByteRanges: result.mappedRanges)
        #expect(bmap.imageSize == result.size && bmap.blockSize == 4096)
        #expect(bmap.ranges.first?.first == 0)
        #expect(bmap.ranges.last?.last == bmap.blocksCount - 1)
        let text = bmap.xml()
        #expect(try Bmap.parse(text) == bmap)
        #expect(text.contains("<bmap version=\"2.0\">"))
        let tampered = text.replacingOccurrences(of: "<BlockSize> 4096 </BlockSize>", with: "<BlockSize> 8192 </BlockSize>")
        #expect(throws: ImageFormatsError.self) { try Bmap.parse(tampered) }
        do {
            _ = try Bmap.parse(tampered)
        } catch {
            guard case .bmapFileChecksumMismatch = error else {
                Issue.record("expected a file checksum mismatch, got \(error)")
                return
            }
        }
        let fromHoles = try Bmap.create(imagePath: path)
        #expect(fromHoles.mappedBlocksCount >= bmap.mappedBlocksCount)
    }

    @Test("zero-block detection maps the same blocks in a copy that lost its holes")
    func zeroBlocks() throws {
        let folder = try TemporaryFolder()
        let (path, _) = try writeDisk(in: folder)
        let dense = folder.file("dense.img")
        let original = try #require(FileManager.default.contents(atPath: path))
        try original.write(to: URL(fileURLWithPath: dense))
        let fromDense = try Bmap.create(imagePath: dense, skipZeroBlocks: true)
        let fromSparse = try Bmap.create(imagePath: path, skipZeroBlocks: true)
        #expect(fromDense == fromSparse)
        #expect(fromDense.mappedBlocksCount < fromDense.blocksCount / 4)
        #expect(try Bmap.create(imagePath: dense).mappedBlocksCount == fromDense.blocksCount)
    }

    @Test("a malformed bmap names the line", arguments: [
        ("<bmap version=\"2.0\"><BmapFileChecksum> xyz </BmapFileChecksum></bmap>", "not a sha256"),
        ("garbage", "BmapFileChecksum> is missing"),
    ])
    func malformedBmap(text: String, expected: String) {
        do {
            _ = try Bmap.parse(text)
            Issue.record("parse accepted malformed text")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test("bmaptool copy accepts our image and bmap and reproduces the image",
          .enabled(if: Tools.available("bmaptool"), "needs bmap-tools"))
    func bmaptoolCopy() throws {
        let folder = try TemporaryFolder()
        let (path, result) = try writeDisk(in: folder)
        let bmapPath = try folder.write("disk.bmap", Array(Bmap.create(imagePath: path, mappedByteRanges: result.mappedRanges).xml().utf8))
        let copy = folder.file("copy.img")
        let run = try Tools.shell("bmaptool copy --bmap \(Tools.quoted(bmapPath)) \(Tools.quoted(path)) \(Tools.quoted(copy))")
        #expect(run.status == 0, "\(run.output)")
        #expect(try Tools.shell("cmp \(Tools.quoted(path)) \(Tools.quoted(copy))").status == 0)
    }

    @Test("relocating the backup GPT to the end of a larger disk satisfies sgdisk and keeps the partitions",
          .enabled(if: Tools.available("sfdisk", "sgdisk"), "needs fdisk and gdisk"))
    func relocation() throws {
        let folder = try TemporaryFolder()
        let (path, result) = try writeDisk(in: folder)
        let before = try Tools.shell("sfdisk --dump \(Tools.quoted(path)) | grep '^/'").output
        let diskSize = result.size + (64 << 20)
        #expect(truncate(path, off_t(diskSize)) == 0)
        let stale = try Tools.shell("sgdisk -v \(Tools.quoted(path))")
        #expect(!stale.output.contains("No problems found"), "an image in a larger disk must need relocation")
        let file = try PositionalFile(path: path, flags: O_RDWR)
        var head = [UInt8](repeating: 0, count: GPTRelocation.headSize)
        _ = try head.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
        let writes = try #require(try GPTRelocation.writes(head: head, diskSize: diskSize))
        for write in writes { try file.write(write.bytes, at: write.offset) }
        let check = try Tools.shell("sgdisk -v \(Tools.quoted(path))")
        #expect(check.output.contains("No problems found"), "\(check.output)")
        #expect(try Tools.shell("sfdisk --verify \(Tools.quoted(path))").output.contains("No errors detected"))
        #expect(try Tools.shell("sfdisk --dump \(Tools.quoted(path)) | grep '^/'").output == before)
        #expect(try GPTRelocation.writes(head: head.map { _ in 0 }, diskSize: diskSize) == nil)
        var corrupt = head
        corrupt[512 + 40] ^= 1
        #expect(throws: ImageFormatsError.self) { try GPTRelocation.writes(head: corrupt, diskSize: diskSize) }
    }

    @Test("invalid layouts are refused")
    func invalidLayout() throws {
        let folder = try TemporaryFolder()
        let content = try folder.write("c", Array(repeating: 1, count: 2 << 20))
        #expect(throws: ImageFormatsError.partitionContentTooLarge(partition: "p", contentBytes: 2 << 20, partitionBytes: 1 << 20)) {
            try DiskImage.write(partitions: [PartitionSpec(name: "p", type: .linuxFilesystem, size: 1 << 20, contentPath: content)],
                                to: folder.file("x"), options: DiskImageOptions(imageName: "x"))
        }
        #expect(throws: ImageFormatsError.self) {
            try DiskImage.write(partitions: [PartitionSpec(name: "p", type: .linuxFilesystem, size: nil, contentPath: nil),
                                             PartitionSpec(name: "p", type: .linuxFilesystem, size: nil, contentPath: nil)],
                                to: folder.file("x"), options: DiskImageOptions(imageName: "x"))
        }
    }

    @Test("UUIDv5 matches the RFC 9562 example and encodes GUIDs mixed-endian")
    func uuid() throws {
        let dns = try #require(DeterministicUUID(string: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"))
        #expect(dns.named("www.example.com").description == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
        let efi = PartitionType.efiSystem.guid.guidBytes
        #expect(Array(efi.prefix(8)) == [0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11])
    }
}
