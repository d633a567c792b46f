// SPDX-License-Identifier: Apache-2.0
import Flash
import Foundation
import Testing

@Suite("flash target safety")
struct TargetSafetyTests {
    let sda = DeviceNumber(major: 8, minor: 0)
    let sda1 = DeviceNumber(major: 8, minor: 1)
    let sdb = DeviceNumber(major: 8, minor: 16)
    let dm0 = DeviceNumber(major: 254, minor: 0)

    /// sda: removable 8 GB card with a partition; sdb: the fixed system disk.
    func probe(mounts: [MountedDevice] = [], root: DeviceNumber? = nil) -> ScriptedBlockDeviceProbe {
        ScriptedBlockDeviceProbe(
            kinds: ["/dev/sda": .blockDevice(sda), "/dev/sdb": .blockDevice(sdb), "/dev/tty": .unsupported(mode: 0o020620)],
            mounts: mounts, root: root,
            diskTable: [sda: ["sda"], sda1: ["sda"], sdb: ["sdb"], dm0: ["sda"]],
            removable: ["sda": true, "sdb": false], sizes: [sda: 8_000_000_000, sdb: 500_000_000_000])
    }

    @Test("a removable, unmounted, large enough card is accepted")
    func accepted() throws {
        let target = try TargetSafety.check(path: "/dev/sda", imageSize: 1 << 30, force: false, probe: probe())
        #expect(target.kind == .blockDevice(sda) && target.deviceSize == 8_000_000_000)
    }

    @Test("a mounted device, a mounted partition of it, or a mounted mapper device on it is refused even with force",
          arguments: [(8, 0), (8, 1), (254, 0)])
    func mounted(major: UInt32, minor: UInt32) {
        let device = DeviceNumber(major: major, minor: minor)
        #expect(throws: FlashError.targetMounted(path: "/dev/sda", mountPoint: "/media/card", device: device.description)) {
            try TargetSafety.check(path: "/dev/sda", imageSize: 1, force: true,
                                   probe: probe(mounts: [MountedDevice(device: device, mountPoint: "/media/card")]))
        }
    }

    @Test("the disk holding / is refused even with force")
    func root() {
        #expect(throws: FlashError.targetHoldsRoot(path: "/dev/sdb", device: "8:16")) {
            try TargetSafety.check(path: "/dev/sdb", imageSize: 1, force: true, probe: probe(root: sdb))
        }
    }

    @Test("a non-removable disk needs force")
    func nonRemovable() throws {
        #expect(throws: FlashError.targetNotRemovable(path: "/dev/sdb", disk: "sdb")) {
            try TargetSafety.check(path: "/dev/sdb", imageSize: 1, force: false, probe: probe())
        }
        let target = try TargetSafety.check(path: "/dev/sdb", imageSize: 1, force: true, probe: probe())
        #expect(target.kind == .blockDevice(sdb))
    }

    @Test("a device smaller than the image is refused")
    func tooSmall() {
        #expect(throws: FlashError.targetTooSmall(path: "/dev/sda", size: 8_000_000_000, required: 9_000_000_000)) {
            try TargetSafety.check(path: "/dev/sda", imageSize: 9_000_000_000, force: false, probe: probe())
        }
    }

    @Test("flash refuses a mounted device before opening it")
    func flashRefusesMounted() throws {
        let fixture = try FlashFixture()
        let target = fixture.path("card.img")
        var probe = probe(mounts: [MountedDevice(device: sda1, mountPoint: "/media/card")])
        probe.kinds[target] = .blockDevice(sda)
        #expect(throws: FlashError.targetMounted(path: target, mountPoint: "/media/card", device: "8:1")) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: target, options: FlashOptions(), probe: probe) { _ in }
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test("flash refuses a too-small device")
    func flashRefusesTooSmall() throws {
        let fixture = try FlashFixture()
        let target = fixture.path("card.img")
        var probe = probe()
        probe.kinds[target] = .blockDevice(sda)
        probe.sizes[sda] = fixture.imageSize - 1
        #expect(throws: FlashError.targetTooSmall(path: target, size: fixture.imageSize - 1, required: fixture.imageSize)) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: target, options: FlashOptions(), probe: probe) { _ in }
        }
    }

    @Test("character devices and other non-block targets are refused")
    func unsupported() {
        #expect(throws: FlashError.self) {
            try TargetSafety.check(path: "/dev/tty", imageSize: 1, force: true, probe: probe())
        }
    }
}
