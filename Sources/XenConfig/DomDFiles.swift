// SPDX-License-Identifier: Apache-2.0

/// Where DomD's boot files sit in the control domain (dom0), as `domd.cfg` names
/// them. The image assembly installs the files there.
package struct DomDFiles: Sendable, Hashable {
    /// DomD's kernel (an arm64 `Image`).
    package var kernel: String
    /// DomD's root filesystem as a cpio initramfs.
    package var ramdisk: String
    /// The compiled partial device tree (`domd-passthrough.dtb`).
    package var deviceTree: String

    /// Creates the paths.
    package init(kernel: String, ramdisk: String, deviceTree: String) {
        self.kernel = kernel
        self.ramdisk = ramdisk
        self.deviceTree = deviceTree
    }

    /// The folder the defaults live in.
    package static let defaultDirectory = "/usr/lib/driverdom/domd"

    /// Where dom0's init mounts the disk's boot partition (read-only).
    package static let bootMount = "/boot"

    /// The kernel is the boot partition's `vmlinuz` (dom0's own kernel, the
    /// same Debian `Image`), mounted on ``bootMount``; the initramfs and device
    /// tree are `/usr/lib/driverdom/domd/{initramfs.cpio.gz, domd-passthrough.dtb}`
    /// in dom0's initramfs.
    package static let standard = DomDFiles(
        kernel: bootMount + "/" + UBootScriptWriter.BootFiles.kernel,
        ramdisk: defaultDirectory + "/initramfs.cpio.gz",
        deviceTree: defaultDirectory + "/" + XenConfigFileNames.partialDeviceTreeBlob)
}

/// Names of the files `driverdom config` writes.
package enum XenConfigFileNames {
    /// DomD's xl.cfg.
    package static let domdConfig = "domd.cfg"
    /// DomD's partial device tree, source.
    package static let partialDeviceTreeSource = "domd-passthrough.dts"
    /// DomD's partial device tree, compiled.
    package static let partialDeviceTreeBlob = "domd-passthrough.dtb"
    /// The host device-tree overlay marking the devices `xen,passthrough`, source.
    package static let hostOverlaySource = "host-passthrough.dtso"
    /// The host overlay, compiled.
    package static let hostOverlayBlob = "host-passthrough.dtbo"
    /// The U-Boot boot script (boards booted by U-Boot).
    package static let bootScriptSource = "boot.cmd"
    /// The boot script as U-Boot's `source` command loads it.
    package static let bootScriptImage = "boot.scr"
    /// A guest's PV device stanzas.
    package static func guestConfig(_ guest: String) -> String { "guest-\(guest).cfg" }
}
