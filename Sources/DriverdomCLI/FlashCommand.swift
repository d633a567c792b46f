// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DriverdomBuild
import Flash
import Foundation

/// `driverdom flash`: write a disk image to an SD card, eMMC or file using its bmap.
struct FlashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flash",
        abstract: "Write a disk image to a device or file, bmap-aware, and verify it.",
        discussion: """
            Writes only the blocks listed in the image's bmap, then reads every range \
            back and compares its SHA256. Refuses a mounted device, the disk holding /, \
            and (without --force) a disk that is not removable. A plain file target is \
            created or truncated to the image size, sparse.
            """
    )

    @Argument(help: ArgumentHelp(
        "The image config (Images/<name>.yaml: its built disk.img is written) or a disk image file.",
        valueName: "image"))
    var image: String

    @Option(help: ArgumentHelp("The built output folder of an image config (default out/<image name>).",
                               valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Block device or file to write.", valueName: "path"))
    var device: String

    @Option(help: ArgumentHelp("bmap file (default: the disk image path + .bmap, as `driverdom build` writes it).", valueName: "file"))
    var bmap: String?

    @Flag(help: "Allow a disk that is not removable (never a mounted one or the one holding /).")
    var force = false

    @Flag(help: "Skip reading the target back.")
    var noVerify = false

    /// The disk image to write: `image` itself, or the built `disk.img` of an image config.
    func diskImage() throws -> String {
        guard image.hasSuffix(".yaml") || image.hasSuffix(".yml") else { return image }
        let configuration = try Console.loadImage(image, for: "flash")
        let folder = BuildLocations(output: out, cache: nil).outputFolder(image: configuration.image.name)
        let disk = folder.appendingPathComponent("disk.img").path
        guard FileManager.default.fileExists(atPath: disk) else {
            FileHandle.standardError.write(Data(
                "driverdom: error: Unable to flash \(image): \(disk) does not exist; run `driverdom build \(image)` first\n".utf8))
            throw ExitCode(2)
        }
        return disk
    }

    func run() throws {
        let image = try diskImage()
        let bmapPath = bmap ?? (image + ".bmap")
        let options = FlashOptions(force: force, verifyTarget: !noVerify)
        let interactive = isatty(STDERR_FILENO) == 1
        if interactive { FileHandle.standardError.write(Data("Flashing \(image) to \(device) using \(bmapPath)\n".utf8)) }
        do {
            let report = try flash(image: image, bmap: bmapPath, device: device, options: options) { progress in
                guard interactive else { return }
                FileHandle.standardError.write(Data(("\r" + progress.render()).utf8))
            }
            if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
            print("Flashed \(image) to \(device): "
                  + String(format: "%.1f MB in %d ranges, write %.1f s, verify %.1f s", Double(report.bytesWritten) / 1e6,
                           report.rangesWritten, report.writeSeconds, report.verifySeconds)
                  + (report.relocatedBackupGPT ? ", backup GPT moved to the end of the device" : ""))
        } catch {
            if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
            FileHandle.standardError.write(Data("driverdom: error: Unable to flash \(image) to \(device): \(error)\n".utf8))
            throw ExitCode(error.isRefusal ? 2 : 1)
        }
    }
}

extension FlashError {
    /// Refusals are the user's to fix (exit 2); I/O failures while writing or
    /// reading back are not (exit 1).
    var isRefusal: Bool {
        switch self {
        case .writeTargetFailed, .readTargetFailed, .verifyTargetMismatch, .readImageFailed, .relocateGPTFailed: return false
        default: return true
        }
    }
}
