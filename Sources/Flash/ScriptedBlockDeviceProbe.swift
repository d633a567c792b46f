// SPDX-License-Identifier: Apache-2.0

/// A `BlockDeviceProbe` answering from tables given by a test.
package struct ScriptedBlockDeviceProbe: BlockDeviceProbe, Sendable {
    package var kinds: [String: FlashTargetKind]
    package var mounts: [MountedDevice]
    package var root: DeviceNumber?
    /// Disks of each device (a partition maps to its parent disk).
    package var diskTable: [DeviceNumber: Set<String>]
    package var removable: [String: Bool]
    package var sizes: [DeviceNumber: UInt64]

    package init(kinds: [String: FlashTargetKind] = [:], mounts: [MountedDevice] = [], root: DeviceNumber? = nil,
                diskTable: [DeviceNumber: Set<String>] = [:], removable: [String: Bool] = [:],
                sizes: [DeviceNumber: UInt64] = [:]) {
        self.kinds = kinds
        self.mounts = mounts
        self.root = root
        self.diskTable = diskTable
        self.removable = removable
        self.sizes = sizes
    }

    package func targetKind(of path: String) -> FlashTargetKind { kinds[path] ?? .missing }
    package func mountedDevices() -> [MountedDevice] { mounts }
    package func rootDevice() -> DeviceNumber? { root }
    package func disks(of device: DeviceNumber) -> Set<String> { diskTable[device] ?? [] }
    package func isRemovable(disk: String) -> Bool? { removable[disk] }
    package func size(of device: DeviceNumber) -> UInt64? { sizes[device] }
}
