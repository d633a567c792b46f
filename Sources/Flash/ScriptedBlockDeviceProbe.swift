// SPDX-License-Identifier: Apache-2.0

/// A `BlockDeviceProbe` answering from tables given by a test.
public struct ScriptedBlockDeviceProbe: BlockDeviceProbe, Sendable {
    public var kinds: [String: FlashTargetKind]
    public var mounts: [MountedDevice]
    public var root: DeviceNumber?
    /// Disks of each device (a partition maps to its parent disk).
    public var diskTable: [DeviceNumber: Set<String>]
    public var removable: [String: Bool]
    public var sizes: [DeviceNumber: UInt64]

    public init(kinds: [String: FlashTargetKind] = [:], mounts: [MountedDevice] = [], root: DeviceNumber? = nil,
                diskTable: [DeviceNumber: Set<String>] = [:], removable: [String: Bool] = [:],
                sizes: [DeviceNumber: UInt64] = [:]) {
        self.kinds = kinds
        self.mounts = mounts
        self.root = root
        self.diskTable = diskTable
        self.removable = removable
        self.sizes = sizes
    }

    public func targetKind(of path: String) -> FlashTargetKind { kinds[path] ?? .missing }
    public func mountedDevices() -> [MountedDevice] { mounts }
    public func rootDevice() -> DeviceNumber? { root }
    public func disks(of device: DeviceNumber) -> Set<String> { diskTable[device] ?? [] }
    public func isRemovable(disk: String) -> Bool? { removable[disk] }
    public func size(of device: DeviceNumber) -> UInt64? { sizes[device] }
}
