// SPDX-License-Identifier: Apache-2.0
import DriverdomBuild
import DriverdomConfig
import Foundation

/// The boot files `driverdom build` exports into `OUT/boot/`: Xen, the dom0
/// kernel and the control domain's initramfs (which carries DomD's initramfs
/// and every xl.cfg), and the disk image `OUT/disk.img`, whose boot partition
/// carries the kernel DomD boots.
package struct BuiltImage: Sendable, Equatable {
    /// Folder of the boot files inside an output folder.
    package static let bootFolder = "boot"

    /// The output folder.
    package var outputFolder: URL
    /// Xen.
    package var xen: URL { file("xen") }
    /// dom0's kernel (also the kernel of DomD and of the test guests).
    package var kernel: URL { file("vmlinuz") }
    /// The control domain (dom0) initramfs.
    package var controlInitramfs: URL { file("dom0-initrd.cpio.gz") }
    /// The disk image a board flashes: its boot partition carries DomD's kernel,
    /// which dom0 mounts, so sessions attach it.
    package var disk: URL { outputFolder.appendingPathComponent(OutputFormat.disk.fileName) }

    /// The test guests' out-of-tree modules the build exported (`test.guest_modules`), if any.
    package var guestModules: URL? {
        let folder = outputFolder.appendingPathComponent(KernelSourceBuild.exportedGuestModules)
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("load-order").path) ? folder : nil
    }

    /// Finds the boot files in `outputFolder`; throws naming the first one missing.
    package init(outputFolder: URL) throws(SystemTestError) {
        self.outputFolder = outputFolder
        for url in [xen, kernel, controlInitramfs, disk] where !FileManager.default.isReadableFile(atPath: url.path) {
            throw .findBuiltFileFailed(path: url.path)
        }
    }

    /// The boot files of `outputFolder`, whether they exist or not (for tests of plans).
    init(unchecked outputFolder: URL) {
        self.outputFolder = outputFolder
    }

    private func file(_ name: String) -> URL {
        outputFolder.appendingPathComponent(Self.bootFolder).appendingPathComponent(name)
    }
}
