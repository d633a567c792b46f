// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Finding the boot partition by its GPT name: `/proc/partitions` lists the
/// block devices, and each one's `/sys/class/block/<name>/uevent` carries
/// `PARTNAME=` (the GPT partition name) and `DEVNAME=` (its node under /dev,
/// which devtmpfs creates).
package enum BootPartitionLookup {
    /// The device names of a `/proc/partitions` text (the last column of each row after the header).
    package static func blockDevices(inProcPartitions text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            // Rows are "major minor #blocks name"; the header's first word is "major".
            guard words.count == 4, UInt32(words[0]) != nil else { continue }
            names.append(String(words[3]))
        }
        return names
    }

    /// The value of `KEY=` in a uevent text, or nil.
    package static func value(_ key: String, inUevent text: String) -> String? {
        let prefix = key + "="
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            return String(line.dropFirst(prefix.count))
        }
        return nil
    }
}

extension InitSystem {
    /// Nanoseconds between looks for the boot partition.
    static var bootPartitionPollNanoseconds: UInt64 { 20_000_000 }

    /// Mounts the boot partition read-only, waiting up to its bound for the
    /// storage driver to show it; throws naming the partition and device.
    func mountBootPartition(_ spec: BootPartitionSpec) throws(InitError) {
        let started = control.now()
        let deadline = started &+ spec.waitMilliseconds &* 1_000_000
        while true {
            let devices = BootPartitionLookup.blockDevices(inProcPartitions: control.readFile("/proc/partitions") ?? "")
            for device in devices {
                guard let uevent = control.readFile("/sys/class/block/" + device + "/uevent"),
                      BootPartitionLookup.value("PARTNAME", inUevent: uevent) == spec.name else { continue }
                let node = "/dev/" + (BootPartitionLookup.value("DEVNAME", inUevent: uevent) ?? device)
                do throws(InitError) {
                    try control.makeDirectory(spec.mountPoint)
                    try control.mount(MountRequest(source: node, target: spec.mountPoint, type: spec.filesystem,
                                                   readOnly: true))
                } catch {
                    if case .mount(_, _, let errno) = error {
                        throw .mountBootPartition(name: spec.name, device: node, target: spec.mountPoint,
                                                  type: spec.filesystem, errno: errno)
                    }
                    throw error
                }
                control.log("mounted partition " + spec.name + " (" + node + ", " + spec.filesystem + ") read-only on "
                            + spec.mountPoint + " after " + formatDuration(control.now() &- started))
                return
            }
            if control.now() >= deadline {
                throw .bootPartitionNotFound(name: spec.name, seconds: formatDuration(spec.waitMilliseconds &* 1_000_000),
                                             partitions: devices.joined(separator: ", "))
            }
            let next = control.now() &+ Self.bootPartitionPollNanoseconds
            try pause(until: next < deadline ? next : deadline)
        }
    }
}
