// SPDX-License-Identifier: Apache-2.0
import Flash
import Foundation
import Testing

@Suite("system block device probe on a fake /proc and /sys")
struct SystemBlockDeviceProbeTests {
    /// /sys with sda (removable, partition sda1), sdb (fixed) and dm-0 on sda1;
    /// /proc with dm-0 mounted on "/media/my card" and sdb1 on /.
    func makeTree() throws -> (root: String, probe: SystemBlockDeviceProbe) {
        let root = NSTemporaryDirectory() + "driverdom-probe-" + UUID().uuidString
        let fm = FileManager.default
        func write(_ path: String, _ text: String) throws {
            try fm.createDirectory(atPath: ((root + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: root + path, atomically: true, encoding: .utf8)
        }
        func link(_ path: String, _ target: String) throws {
            try fm.createDirectory(atPath: ((root + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: root + path, withDestinationPath: target)
        }
        let devices = "/sys/devices/platform/block"
        try write(devices + "/sda/removable", "1\n")
        try write(devices + "/sda/size", "15523840\n")
        try write(devices + "/sda/sda1/partition", "1\n")
        try write(devices + "/sdb/removable", "0\n")
        try write(devices + "/sdb/sdb1/partition", "1\n")
        try write(devices + "/dm-0/removable", "0\n")
        try link(devices + "/dm-0/slaves/sda1", "../../sda/sda1")
        try link("/sys/block/sda", "../devices/platform/block/sda")
        try link("/sys/block/sdb", "../devices/platform/block/sdb")
        try link("/sys/dev/block/8:0", "../../devices/platform/block/sda")
        try link("/sys/dev/block/8:1", "../../devices/platform/block/sda/sda1")
        try link("/sys/dev/block/8:16", "../../devices/platform/block/sdb")
        try link("/sys/dev/block/8:17", "../../devices/platform/block/sdb/sdb1")
        try link("/sys/dev/block/254:0", "../../devices/platform/block/dm-0")
        try write("/proc/self/mountinfo", """
            22 1 8:17 / / rw,relatime shared:1 - ext4 /dev/sdb1 rw
            23 22 0:5 / /proc rw shared:2 - proc proc rw
            40 22 254:0 / /media/my\\040card rw shared:3 - ext4 /dev/mapper/card rw

            """)
        try write("/proc/swaps", "Filename Type Size Used Priority\n")
        return (root, SystemBlockDeviceProbe(procRoot: root + "/proc", sysRoot: root + "/sys"))
    }

    @Test("mounts, root, disks, removable flag and size are read from the tables")
    func facts() throws {
        let (root, probe) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(probe.rootDevice() == DeviceNumber(major: 8, minor: 17))
        #expect(probe.mountedDevices().contains(MountedDevice(device: DeviceNumber(major: 254, minor: 0), mountPoint: "/media/my card")))
        #expect(probe.disks(of: DeviceNumber(major: 8, minor: 1)) == ["sda"])
        #expect(probe.disks(of: DeviceNumber(major: 254, minor: 0)) == ["dm-0", "sda"])
        #expect(probe.isRemovable(disk: "sda") == true)
        #expect(probe.isRemovable(disk: "sdb") == false)
        #expect(probe.size(of: DeviceNumber(major: 8, minor: 0)) == 15_523_840 * 512)
    }

    @Test("a card whose partition carries a mounted mapper device is refused; the root disk is refused")
    func safety() throws {
        let (root, probe) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        struct Pretend: BlockDeviceProbe {
            let real: SystemBlockDeviceProbe
            let device: DeviceNumber
            func targetKind(of path: String) -> FlashTargetKind { .blockDevice(device) }
            func mountedDevices() -> [MountedDevice] { real.mountedDevices() }
            func rootDevice() -> DeviceNumber? { real.rootDevice() }
            func disks(of device: DeviceNumber) -> Set<String> { real.disks(of: device) }
            func isRemovable(disk: String) -> Bool? { real.isRemovable(disk: disk) }
            func size(of device: DeviceNumber) -> UInt64? { real.size(of: device) }
        }
        #expect(throws: FlashError.targetMounted(path: "/dev/sda", mountPoint: "/media/my card", device: "254:0")) {
            try TargetSafety.check(path: "/dev/sda", imageSize: 1, force: false,
                                   probe: Pretend(real: probe, device: DeviceNumber(major: 8, minor: 0)))
        }
        #expect(throws: FlashError.targetHoldsRoot(path: "/dev/sdb", device: "8:17")) {
            try TargetSafety.check(path: "/dev/sdb", imageSize: 1, force: true,
                                   probe: Pretend(real: probe, device: DeviceNumber(major: 8, minor: 16)))
        }
    }

    @Test("the real probe classifies files, missing paths and directories")
    func kinds() throws {
        let probe = SystemBlockDeviceProbe()
        let file = NSTemporaryDirectory() + "driverdom-probe-file-" + UUID().uuidString
        #expect(FileManager.default.createFile(atPath: file, contents: Data([1])))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(probe.targetKind(of: file) == .regularFile)
        #expect(probe.targetKind(of: file + ".missing") == .missing)
        guard case .unsupported = probe.targetKind(of: NSTemporaryDirectory()) else {
            Issue.record("a directory was not classified as unsupported")
            return
        }
    }
}
