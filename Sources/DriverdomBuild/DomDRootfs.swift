// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// Fixed facts of the DomD root filesystem layout.
package enum DomDRootfs {
    /// Path of the init (the kernel runs /init from an initramfs).
    package static let initPath = "/init"
    /// Where the service table goes (the init's default).
    package static let serviceTablePath = "/etc/driverdom/services"
    /// alsa-lib's configuration (Debian's libasound2-data), where `hw:` PCM names are
    /// defined: staged with every backend that links libasound.
    package static let alsaConfiguration = "/usr/share/alsa/alsa.conf"
    /// Folders every DomD has (mount points and runtime state).
    package static let folders = ["/dev", "/proc", "/sys", "/tmp", "/run", "/var", "/etc", "/sbin", "/usr/bin"]

    /// /etc files generated from the image: path to contents.
    package static func etcFiles(for configuration: Configuration) -> [String: String] {
        [
            "/etc/hostname": configuration.image.driverDomain.name + "\n",
            "/etc/driverdom/image": "name \(configuration.image.name)\nboard \(configuration.board.name)\n",
            "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
            "/etc/group": "root:x:0:\n",
        ]
    }
}
