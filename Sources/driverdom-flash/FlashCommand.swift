// SPDX-License-Identifier: Apache-2.0
// The `driverdom flash` subcommand. Built here as the standalone
// `driverdom-flash` tool; to make it `driverdom flash`, move this file to
// Sources/DriverdomCLI, drop `@main`, set `commandName` to "flash", add "Flash" to DriverdomCLI's
// dependencies and `FlashCommand.self` to `Driverdom.subcommands`.
import ArgumentParser
import Flash
import Foundation

/// `driverdom flash`: write a disk image to an SD card, eMMC or file using its bmap.
@main
struct FlashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driverdom-flash",
        abstract: "Write a disk image to a device or file, bmap-aware, and verify it.",
        discussion: """
            Writes only the blocks listed in the image's bmap, then reads every range \
            back and compares its SHA256. Refuses a mounted device, the disk holding /, \
            and (without --force) a disk that is not removable. A plain file target is \
            created or truncated to the image size, sparse.
            """
    )

    @Argument(help: ArgumentHelp("Disk image (disk.img from the build output).", valueName: "image"))
    var image: String

    @Option(help: ArgumentHelp("Block device or file to write.", valueName: "path"))
    var device: String

    @Option(help: ArgumentHelp("bmap file (default: the image path with .bmap).", valueName: "file"))
    var bmap: String?

    @Flag(help: "Allow a disk that is not removable (never a mounted one or the one holding /).")
    var force = false

    @Flag(help: "Skip reading the target back.")
    var noVerify = false

    func run() throws {
        let bmapPath = bmap ?? ((image as NSString).deletingPathExtension + ".bmap")
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
