// SPDX-License-Identifier: Apache-2.0
import Flash
import Foundation
import ImageFormats
import Testing

/// A loop block device over a temporary backing file, detached on release.
final class LoopDevice {
    let backing: String
    let device: String

    static var available: Bool {
        getuid() == 0 && FlashFixture.tool("losetup") != nil && FileManager.default.fileExists(atPath: "/dev/loop-control")
    }

    init(size: UInt64) throws {
        backing = NSTemporaryDirectory() + "driverdom-loop-" + UUID().uuidString
        #expect(FileManager.default.createFile(atPath: backing, contents: nil))
        #expect(truncate(backing, off_t(size)) == 0)
        let output = try LoopDevice.run(["losetup", "--find", "--show", backing])
        device = output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        _ = try? LoopDevice.run(["losetup", "--detach", device])
        try? FileManager.default.removeItem(atPath: backing)
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FlashFixture.tool(arguments[0]) ?? arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(arguments): \(text)"])
        }
        return text
    }
}

@Suite("flash onto real loop block devices", .serialized,
       .enabled(if: LoopDevice.available, "needs root, losetup (util-linux) and /dev/loop-control"))
struct LoopDeviceTests {
    @Test("a non-removable device needs force; with it the device holds the image")
    func writesDevice() throws {
        let fixture = try FlashFixture()
        let loop = try LoopDevice(size: fixture.imageSize + (4 << 20))
        let disk = (loop.device as NSString).lastPathComponent
        #expect(throws: FlashError.targetNotRemovable(path: loop.device, disk: disk)) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: loop.device)
        }
        let report = try flash(image: fixture.image, bmap: fixture.bmap, device: loop.device, options: FlashOptions(force: true))
        #expect(report.target.kind != .regularFile && report.target.deviceSize == fixture.imageSize + (4 << 20))
        #expect(!report.relocatedBackupGPT)
        let written = try #require(FileManager.default.contents(atPath: loop.backing))
        #expect(written.prefix(Int(fixture.imageSize)) == fixture.contents(fixture.image))
    }

    @Test("on a larger device the backup GPT is moved to its end, so sgdisk finds no problems",
          .enabled(if: FlashFixture.tool("sgdisk") != nil, "needs gdisk"))
    func relocatesBackupGPT() throws {
        let fixture = try FlashFixture()
        let content = fixture.path("rootfs.part")
        try Data(repeating: 0x33, count: 3 << 20).write(to: URL(fileURLWithPath: content))
        let disk = fixture.path("gpt.img")
        let result = try DiskImage.write(partitions: [PartitionSpec(name: "rootfs", type: .linuxFilesystem, size: nil, contentPath: content)],
                                         to: disk, options: DiskImageOptions(imageName: "loop-test"))
        let bmap = fixture.path("gpt.bmap")
        try Data(Bmap.create(imagePath: disk, mappedByteRanges: result.mappedRanges).xml().utf8).write(to: URL(fileURLWithPath: bmap))
        let loop = try LoopDevice(size: result.size + (32 << 20))
        let report = try flash(image: disk, bmap: bmap, device: loop.device, options: FlashOptions(force: true))
        #expect(report.relocatedBackupGPT)
        let check = try LoopDevice.run(["sgdisk", "-v", loop.device])
        #expect(check.contains("No problems found"), "\(check)")
        let partition = try LoopDevice.run(["sgdisk", "-i", "1", loop.device]).lowercased()
        #expect(partition.contains(result.partitions[0].guid.description))
    }

    @Test("a device smaller than the image is refused")
    func tooSmall() throws {
        let fixture = try FlashFixture()
        let loop = try LoopDevice(size: fixture.imageSize - (1 << 20))
        #expect(throws: FlashError.targetTooSmall(path: loop.device, size: fixture.imageSize - (1 << 20), required: fixture.imageSize)) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: loop.device, options: FlashOptions(force: true))
        }
    }

    @Test("a mounted device is refused even with force", .enabled(if: FlashFixture.tool("mkfs.ext4") != nil, "needs e2fsprogs"))
    func mounted() throws {
        let fixture = try FlashFixture()
        let loop = try LoopDevice(size: fixture.imageSize)
        let mountPoint = fixture.path("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try LoopDevice.run(["mkfs.ext4", "-q", loop.device])
        try LoopDevice.run(["mount", loop.device, mountPoint])
        defer { _ = try? LoopDevice.run(["umount", mountPoint]) }
        do {
            _ = try flash(image: fixture.image, bmap: fixture.bmap, device: loop.device, options: FlashOptions(force: true))
            Issue.record("flash wrote a mounted device")
        } catch let .targetMounted(path, point, _) {
            #expect(path == loop.device && point == mountPoint)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
