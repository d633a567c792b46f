// SPDX-License-Identifier: Apache-2.0

/// A Linux device number (`major:minor`).
package struct DeviceNumber: Sendable, Hashable, CustomStringConvertible {
    package var major: UInt32
    package var minor: UInt32

    package init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Parses `8:1`.
    package init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let major = UInt32(parts[0]), let minor = UInt32(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    package var description: String { "\(major):\(minor)" }
}

/// What a flash target path is.
package enum FlashTargetKind: Sendable, Equatable {
    /// A regular file (written sparse, resized to the image).
    case regularFile
    /// Nothing there yet: a regular file will be created.
    case missing
    case blockDevice(DeviceNumber)
    /// Anything else (directory, character device, …), with its `st_mode`.
    case unsupported(mode: UInt32)
}

/// A mounted filesystem (or active swap) and the device under it.
package struct MountedDevice: Sendable, Equatable {
    package var device: DeviceNumber
    package var mountPoint: String

    package init(device: DeviceNumber, mountPoint: String) {
        self.device = device
        self.mountPoint = mountPoint
    }
}

/// The facts about the host's block devices that decide whether a target is
/// safe to overwrite. Real: `SystemBlockDeviceProbe` (`/proc`, `/sys`);
/// scripted: `ScriptedBlockDeviceProbe` for tests.
package protocol BlockDeviceProbe {
    /// What `path` is.
    func targetKind(of path: String) -> FlashTargetKind
    /// Every mounted filesystem and active swap with its device.
    func mountedDevices() -> [MountedDevice]
    /// The device of the filesystem mounted on `/`, if it is a block device.
    func rootDevice() -> DeviceNumber?
    /// The whole disks a device lives on: itself or its parent disk for a
    /// partition, and recursively the disks under a device-mapper/md device.
    func disks(of device: DeviceNumber) -> Set<String>
    /// `/sys/block/<disk>/removable`, nil if unknown.
    func isRemovable(disk: String) -> Bool?
    /// Size of the block device in bytes, nil if unknown.
    func size(of device: DeviceNumber) -> UInt64?
}
