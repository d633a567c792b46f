// SPDX-License-Identifier: Apache-2.0

/// Where DomD's boot files sit in the control domain (dom0), as `domd.cfg` names
/// them. The image assembly installs the files there.
public struct DomDFiles: Sendable, Hashable {
    /// DomD's kernel (an arm64 `Image`).
    public var kernel: String
    /// DomD's root filesystem as a cpio initramfs.
    public var ramdisk: String
    /// The compiled partial device tree (`domd-passthrough.dtb`).
    public var deviceTree: String

    /// Creates the paths.
    public init(kernel: String, ramdisk: String, deviceTree: String) {
        self.kernel = kernel
        self.ramdisk = ramdisk
        self.deviceTree = deviceTree
    }

    /// The folder the defaults live in.
    public static let defaultDirectory = "/usr/lib/driverdom/domd"

    /// `/usr/lib/driverdom/domd/{Image, initramfs.cpio.gz, domd-passthrough.dtb}`.
    public static let standard = DomDFiles(
        kernel: defaultDirectory + "/Image",
        ramdisk: defaultDirectory + "/initramfs.cpio.gz",
        deviceTree: defaultDirectory + "/" + XenConfigFileNames.partialDeviceTreeBlob)
}

/// Names of the files `driverdom config` writes.
public enum XenConfigFileNames {
    /// DomD's xl.cfg.
    public static let domdConfig = "domd.cfg"
    /// DomD's partial device tree, source.
    public static let partialDeviceTreeSource = "domd-passthrough.dts"
    /// DomD's partial device tree, compiled.
    public static let partialDeviceTreeBlob = "domd-passthrough.dtb"
    /// The host device-tree overlay marking the devices `xen,passthrough`, source.
    public static let hostOverlaySource = "host-passthrough.dtso"
    /// The host overlay, compiled.
    public static let hostOverlayBlob = "host-passthrough.dtbo"
    /// The U-Boot boot script (boards booted by U-Boot).
    public static let bootScriptSource = "boot.cmd"
    /// The boot script as U-Boot's `source` command loads it.
    public static let bootScriptImage = "boot.scr"
    /// A guest's PV device stanzas.
    public static func guestConfig(_ guest: String) -> String { "guest-\(guest).cfg" }
}
