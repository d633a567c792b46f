// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DriverdomConfig
import Foundation
import XenConfig

/// `driverdom config IMAGE [--out DIR]`: write the image's Xen configuration.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Write the Xen configuration of an image (xl.cfg files, device trees, boot script).",
        discussion: """
            Validates IMAGE like `driverdom check`, then writes to DIR:
              domd.cfg             DomD's xl.cfg: driver_domain = 1, device_tree,
                                   dtdev, irqs, iomem (separate driver domain only)
              domd-passthrough.dts DomD's partial device tree (/passthrough node)
                and .dtb
              host-passthrough.dtso
                and .dtbo          overlay for the board's device tree marking the
                                   passed-through nodes xen,passthrough
              boot.cmd, boot.scr   U-Boot script (boards booted by U-Boot): load the
                                   board DTB, apply the overlay, boot Xen and dom0
              guest-<name>.cfg     each guest's vkb, vdispl, vsnd, usbctrl lines
            The device-tree files exist only when board devices are passed through; \
            compiling them needs dtc (Debian package device-tree-compiler). Each file is \
            written to a temporary name and renamed into place.
            """
    )

    @Argument(help: "The image file, e.g. Images/rcar-h3-cockpit.yaml.")
    var image: String

    @Option(name: .customLong("out"), help: ArgumentHelp(
        "Folder to write to (default: <image name>-xen in the current folder).", valueName: "dir"))
    var output: String?

    func run() throws {
        let configuration = try Console.loadImage(image, for: "config")
        let action = "write the Xen configuration of \(image)"
        let folder = output ?? "\(configuration.image.name)-xen"
        let files: [GeneratedFile]
        do {
            let generator = XenConfigGenerator()
            let sources = try generator.sources(for: configuration)
            let hasDeviceTrees = sources.contains { $0.name.hasSuffix(".dts") || $0.name.hasSuffix(".dtso") }
            files = hasDeviceTrees
                ? try generator.files(for: configuration, compiler: SystemDeviceTreeCompiler())
                : sources
        } catch {
            throw CommandFailure(action: action, error: error)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for file in files {
                let path = (folder as NSString).appendingPathComponent(file.name)
                try Self.writeAtomically(file.bytes, to: path)
                Console.out("wrote \(path)")
            }
        } catch {
            throw CommandFailure(action: action, reason: "cannot write into '\(folder)': \(error)", isUserError: true)
        }
    }

    /// Writes `bytes` to a temporary file next to `path` and renames it over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = (path as NSString).deletingLastPathComponent + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename to \(path): \(reason)"])
        }
    }
}

extension XenConfigError: UserError {
    /// Configuration values and a missing dtc are the user's to fix; dtc rejecting
    /// the source we generated is ours.
    package var isUserError: Bool {
        switch self {
        case .iomemOverlapsGuestRegion, .dmaWithoutIOMMU, .unrepresentableValue, .bootFactMissing, .dtcNotFound:
            return true
        case .dtcFailed, .dtcUnavailable: return false
        }
    }
}
