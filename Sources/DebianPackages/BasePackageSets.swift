// SPDX-License-Identifier: Apache-2.0

/// The package sets every image needs before its layers add their own `packages:`.
package enum BasePackageSets {
    /// Name of the set the cross-compile sysroot is made from.
    package static let sysrootSetName = "sysroot"
    /// Name of the set installed into the image.
    package static let imageSetName = "image"

    /// Headers and libraries the device code compiles and links against (glibc, libgcc,
    /// Linux uapi, libxen*, ALSA, libdrm, libusb), with their runtime libraries.
    package static let sysroot = [
        "libc6", "libc6-dev", "linux-libc-dev", "libgcc-12-dev", "libgcc-s1",
        "libxen-dev", "libxenstore4", "libxengnttab1", "libxenevtchn1",
        "libasound2", "libasound2-dev", "libdrm2", "libdrm-dev", "libusb-1.0-0", "libusb-1.0-0-dev",
    ]

    /// Kernel, Xen and busybox for an image of Debian architecture `architecture`.
    package static func image(for architecture: String) -> [String] {
        let kernel = architecture == "armhf" ? "linux-image-armmp-lpae" : "linux-image-\(architecture)"
        return [kernel, "xen-hypervisor-4.17-\(architecture)", "xen-utils-4.17", "busybox-static"]
    }
}
