// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation
import QEMURunner

/// Xen's device tree for a QEMU session of an image that passes hardware
/// through: QEMU's own tree for the session's exact machine (dumped with
/// `-M virt,…,dumpdtb=FILE` and the same memory, kernel, command line and
/// guest-loader modules, which QEMU describes in /chosen), with the image's host
/// overlay applied by `fdtoverlay` — so Xen sees the passed nodes marked
/// `xen,passthrough` and hides them from dom0. The machine then boots with `-dtb`.
enum SessionDeviceTree {
    /// Writes the tree for `machine` with `overlay` applied to `folder/xen.dtb`
    /// (QEMU and fdtoverlay run through `tools`); returns its URL.
    static func make(for machine: XenMachine, overlay: URL, emulator: String, in folder: URL,
                     tools: any ToolRunner) throws(SystemTestError) -> URL {
        let dumped = folder.appendingPathComponent("qemu.dtb")
        let merged = folder.appendingPathComponent("xen.dtb")
        // The runner gives it /dev/null as stdin: the machine's stdio console must not touch a terminal we may run on.
        try HostTools.run([emulator] + machine.dumpArguments(to: dumped), tools: tools)
        guard FileManager.default.fileExists(atPath: dumped.path) else {
            throw .findUnpackedFileFailed(path: dumped.path, archive: "the output of \(emulator) -M …,dumpdtb=")
        }
        try HostTools.run(["fdtoverlay", "-i", dumped.path, "-o", merged.path, overlay.path], tools: tools)
        return merged
    }
}
