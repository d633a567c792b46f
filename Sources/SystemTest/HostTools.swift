// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The host tools a session uses to open and repack initramfs archives
/// (gzip, cpio from Debian's cpio package) and to unpack packages (dpkg-deb).
enum HostTools {
    /// Runs `arguments` (each quoted; the program looked up on PATH); throws with its output on failure.
    @discardableResult
    static func run(_ arguments: [String], in folder: URL? = nil) throws(SystemTestError) -> String {
        try shell(arguments.map(quote).joined(separator: " "), in: folder)
    }

    /// Runs a shell pipeline; throws with its output on failure.
    @discardableResult
    static func shell(_ command: String, in folder: URL? = nil) throws(SystemTestError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "set -e; " + command]
        if let folder { process.currentDirectoryURL = folder }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            throw .runToolFailed(command: command, status: -1, output: "\(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw .runToolFailed(command: command, status: process.terminationStatus,
                                 output: String(output.suffix(2000)))
        }
        return output
    }

    /// Unpacks the gzip-compressed cpio archive `archive` into the empty folder `folder`.
    static func unpackInitramfs(_ archive: URL, into folder: URL) throws(SystemTestError) {
        try? FileManager.default.removeItem(at: folder)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw .runToolFailed(command: "mkdir \(folder.path)", status: -1, output: "\(error)")
        }
        try shell("gzip -dc \(quote(archive.path)) | cpio -idm --quiet --no-absolute-filenames", in: folder)
    }

    /// Packs `folder` into a gzip-compressed cpio (newc) archive at `archive`, owned by root.
    static func packInitramfs(_ folder: URL, to archive: URL) throws(SystemTestError) {
        try shell("find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 > \(quote(archive.path))",
                  in: folder)
    }

    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
