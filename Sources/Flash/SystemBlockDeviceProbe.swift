// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The real `BlockDeviceProbe`: `stat(2)` on the target,
/// `/proc/self/mountinfo` (device numbers of every mount),
/// `/proc/self/mounts`, `/proc/mounts` and `/proc/swaps` (source devices),
/// and sysfs (`/sys/dev/block/M:m`, `partition`, `slaves/`, `removable`,
/// `size`). The roots are parameters so tests can use a fake tree.
package struct SystemBlockDeviceProbe: BlockDeviceProbe, Sendable {
    package var procRoot: String
    package var sysRoot: String

    package init(procRoot: String = "/proc", sysRoot: String = "/sys") {
        self.procRoot = procRoot
        self.sysRoot = sysRoot
    }

    package func targetKind(of path: String) -> FlashTargetKind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? .missing : .unsupported(mode: 0)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFBLK: return .blockDevice(Self.deviceNumber(info.st_rdev))
        default: return .unsupported(mode: UInt32(info.st_mode))
        }
    }

    package func mountedDevices() -> [MountedDevice] {
        var result: [MountedDevice] = []
        for line in lines(procRoot + "/self/mountinfo") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let device = DeviceNumber(fields[2]), device.major != 0 else { continue }
            result.append(MountedDevice(device: device, mountPoint: Self.unescape(fields[4])))
        }
        for table in [procRoot + "/self/mounts", procRoot + "/mounts"] {
            for line in lines(table) {
                let fields = line.split(separator: " ")
                guard fields.count > 1, fields[0].hasPrefix("/"),
                      case let .blockDevice(device) = targetKind(of: Self.unescape(fields[0])) else { continue }
                result.append(MountedDevice(device: device, mountPoint: Self.unescape(fields[1])))
            }
        }
        for line in lines(procRoot + "/swaps").dropFirst() {
            guard let source = line.split(separator: " ").first,
                  case let .blockDevice(device) = targetKind(of: Self.unescape(source)) else { continue }
            result.append(MountedDevice(device: device, mountPoint: "[swap]"))
        }
        return result
    }

    package func rootDevice() -> DeviceNumber? {
        var root: DeviceNumber?
        for line in lines(procRoot + "/self/mountinfo") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, fields[4] == "/", let device = DeviceNumber(fields[2]) else { continue }
            root = device.major == 0 ? nil : device
        }
        return root
    }

    package func disks(of device: DeviceNumber) -> Set<String> {
        guard let directory = realPath(sysRoot + "/dev/block/" + device.description) else { return [] }
        return disks(sysfsDirectory: directory, depth: 0)
    }

    private func disks(sysfsDirectory directory: String, depth: Int) -> Set<String> {
        guard depth < 16 else { return [] }
        let isPartition = FileManager.default.fileExists(atPath: directory + "/partition")
        let diskDirectory = isPartition ? (directory as NSString).deletingLastPathComponent : directory
        var result: Set<String> = [(diskDirectory as NSString).lastPathComponent]
        for base in Set([directory, diskDirectory]) {
            let slaves = (try? FileManager.default.contentsOfDirectory(atPath: base + "/slaves")) ?? []
            for slave in slaves {
                if let slaveDirectory = realPath(base + "/slaves/" + slave) {
                    result.formUnion(disks(sysfsDirectory: slaveDirectory, depth: depth + 1))
                }
            }
        }
        return result
    }

    package func isRemovable(disk: String) -> Bool? {
        guard let text = lines(sysRoot + "/block/" + disk + "/removable").first else { return nil }
        return text.trimmingCharacters(in: .whitespaces) == "1"
    }

    package func size(of device: DeviceNumber) -> UInt64? {
        guard let text = lines(sysRoot + "/dev/block/" + device.description + "/size").first,
              let sectors = UInt64(text.trimmingCharacters(in: .whitespaces)) else { return nil }
        return sectors * 512
    }

    private func lines(_ path: String) -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Undoes the octal escapes (`\040`) of mount tables.
    static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count + 0,
               let value = UInt8(String(decoding: utf8[index + 1...index + 3], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func deviceNumber(_ dev: dev_t) -> DeviceNumber {
        let value = UInt64(dev)
        return DeviceNumber(major: UInt32(truncatingIfNeeded: ((value >> 8) & 0xfff) | ((value >> 32) & ~0xfff)),
                            minor: UInt32(truncatingIfNeeded: (value & 0xff) | ((value >> 12) & ~0xff)))
    }
}
