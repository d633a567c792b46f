// SPDX-License-Identifier: Apache-2.0

/// What `TargetSafety.check` decided about a flash target.
package struct CheckedTarget: Sendable, Equatable {
    package var path: String
    package var kind: FlashTargetKind
    /// Size of a block device; nil for files (they grow to the image).
    package var deviceSize: UInt64?
}

/// The rules that keep `flash` from overwriting the wrong disk:
/// a mounted device (or a partition of it, or a device-mapper/md device on
/// it) and the disk holding `/` are always refused; a non-removable disk only
/// with `force`; a device smaller than the image is an error.
package enum TargetSafety {
    /// Decides whether `path` may receive an image of `imageSize` bytes,
    /// using the facts `probe` reports; throws the refusal otherwise.
    package static func check<Probe: BlockDeviceProbe>(path: String, imageSize: UInt64, force: Bool,
                                                     probe: Probe) throws(FlashError) -> CheckedTarget {
        let kind = probe.targetKind(of: path)
        switch kind {
        case .regularFile, .missing:
            return CheckedTarget(path: path, kind: kind, deviceSize: nil)
        case let .unsupported(mode):
            throw .targetUnsupported(path: path, reason: mode == 0 ? "it cannot be examined (stat failed)"
                : "it is neither a regular file nor a block device (mode 0o\(String(mode, radix: 8)))")
        case let .blockDevice(device):
            let targetDisks = probe.disks(of: device)
            let related = { (other: DeviceNumber) -> Bool in
                other == device || !probe.disks(of: other).isDisjoint(with: targetDisks)
            }
            if let root = probe.rootDevice(), related(root) {
                throw .targetHoldsRoot(path: path, device: root.description)
            }
            if let mounted = probe.mountedDevices().first(where: { related($0.device) }) {
                throw .targetMounted(path: path, mountPoint: mounted.mountPoint, device: mounted.device.description)
            }
            if !force {
                if targetDisks.isEmpty { throw .targetNotRemovable(path: path, disk: "of device \(device) (not found in sysfs)") }
                for disk in targetDisks.sorted() where probe.isRemovable(disk: disk) != true {
                    throw .targetNotRemovable(path: path, disk: disk)
                }
            }
            let size = probe.size(of: device)
            if let size, size < imageSize {
                throw .targetTooSmall(path: path, size: size, required: imageSize)
            }
            return CheckedTarget(path: path, kind: kind, deviceSize: size)
        }
    }
}
