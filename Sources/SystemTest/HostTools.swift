// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// The host tools a session uses to open and repack initramfs archives
/// (gzip, cpio from Debian's cpio package) and to unpack packages (dpkg-deb),
/// run through BuildEngine's `ToolRunner`: a step's own runner (`context.tools`,
/// reported and stopped with the build), or ``standalone`` outside steps.
enum HostTools {
    /// The runner for commands outside a build step.
    static let standalone: any ToolRunner = ProcessToolRunner(cancellation: CancellationToken())

    /// Runs `arguments` (the program looked up on PATH); throws with its output on failure; returns stdout.
    @discardableResult
    static func run(_ arguments: [String], in folder: URL? = nil,
                    tools: any ToolRunner = standalone) throws(SystemTestError) -> String {
        guard let program = arguments.first else {
            throw .runToolFailed(command: "(empty command)", status: -1, output: "no program given")
        }
        return try run(ToolCommand(program, Array(arguments.dropFirst()), workingDirectory: folder?.path), tools: tools)
    }

    /// Runs a shell pipeline (`/bin/sh -c`, with `set -e`); throws with its output on failure; returns stdout.
    @discardableResult
    static func shell(_ command: String, in folder: URL? = nil,
                      tools: any ToolRunner = standalone) throws(SystemTestError) -> String {
        try run(ToolCommand("/bin/sh", ["-c", "set -e; " + command], workingDirectory: folder?.path), tools: tools)
    }

    private static func run(_ command: ToolCommand, tools: any ToolRunner) throws(SystemTestError) -> String {
        let result: ToolResult
        do {
            result = try tools.run(command, allowFailure: true)
        } catch {
            throw .runToolFailed(command: command.description, status: -1, output: "\(error)")
        }
        guard result.succeeded else {
            throw .runToolFailed(command: command.description, status: result.status,
                                 output: String(result.outputTail().suffix(2000)))
        }
        return result.stdoutText
    }

    /// Unpacks the gzip-compressed cpio archive `archive` into the empty folder `folder`.
    static func unpackInitramfs(_ archive: URL, into folder: URL, tools: any ToolRunner = standalone) throws(SystemTestError) {
        try? FileManager.default.removeItem(at: folder)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw .runToolFailed(command: "mkdir \(folder.path)", status: -1, output: "\(error)")
        }
        try shell("gzip -dc \(quote(archive.path)) | cpio -idm --quiet --no-absolute-filenames", in: folder, tools: tools)
    }

    /// Packs `folder` into a gzip-compressed cpio (newc) archive at `archive`, owned by root.
    static func packInitramfs(_ folder: URL, to archive: URL, tools: any ToolRunner = standalone) throws(SystemTestError) {
        try shell("find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 > \(quote(archive.path))",
                  in: folder, tools: tools)
    }

    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
