// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly

/// Errors of the image writers (cpio, gzip, ext4, FAT, GPT, bmap).
package enum ImageFormatsError: Error, Equatable, CustomStringConvertible {
    case stageEntryFailed(path: String, underlying: RootfsAssemblyError)
    case cpioEntryTooLarge(path: String, size: UInt64)
    case gzipCompressFailed(zlibStatus: Int32)
    case fileWriteFailed(path: String, errno: Int32)
    case fileReadFailed(path: String, errno: Int32)
    case toolFailed(tool: String, arguments: [String], status: Int32, output: String)
    case toolMissing(tool: String, package: String)
    case ext4ContentDoesNotFit(path: String, triedBytes: UInt64)
    case fatUnsupportedEntry(path: String, kind: String)
    case diskLayoutInvalid(reason: String)
    case partitionContentTooLarge(partition: String, contentBytes: UInt64, partitionBytes: UInt64)
    case bmapParseFailed(line: Int, reason: String)
    case bmapInvalid(reason: String)
    case bmapFileChecksumMismatch(stored: String, computed: String)

    package var description: String {
        switch self {
        case let .stageEntryFailed(path, underlying):
            return "Cannot stage '\(path)': \(underlying)"
        case let .cpioEntryTooLarge(path, size):
            return "Cannot add '\(path)' to the cpio archive: \(size) bytes exceed the newc limit of 4 GiB - 1."
        case let .gzipCompressFailed(status):
            return "Cannot gzip the initramfs: zlib deflate returned \(status)."
        case let .fileWriteFailed(path, errno):
            return "Cannot write '\(path)' (errno \(errno)). Check free space and permissions of the output folder."
        case let .fileReadFailed(path, errno):
            return "Cannot read '\(path)' (errno \(errno)). Check that the file exists and is readable."
        case let .toolFailed(tool, arguments, status, output):
            return "'\(tool) \(arguments.joined(separator: " "))' failed with status \(status): \(output)"
        case let .toolMissing(tool, package):
            return "Cannot run '\(tool)': not found in PATH. Install the Debian package '\(package)'."
        case let .ext4ContentDoesNotFit(path, tried):
            return "Cannot fit the rootfs into ext4 image '\(path)' even at \(tried) bytes. Check the staged tree for unexpectedly large files."
        case let .fatUnsupportedEntry(path, kind):
            return "Cannot put '\(path)' on the FAT boot partition: FAT cannot hold a \(kind). Stage regular files and directories only."
        case let .diskLayoutInvalid(reason):
            return "Invalid disk layout: \(reason)."
        case let .partitionContentTooLarge(partition, content, size):
            return "Partition '\(partition)' is \(size) bytes but its content is \(content) bytes. Enlarge the partition in the board's flash layout or use size auto."
        case let .bmapParseFailed(line, reason):
            return "Cannot parse the bmap file at line \(line): \(reason)."
        case let .bmapInvalid(reason):
            return "Invalid bmap: \(reason)."
        case let .bmapFileChecksumMismatch(stored, computed):
            return "The bmap file's own checksum does not match: it says \(stored), its content hashes to \(computed). The bmap file is corrupt or was edited; regenerate it."
        }
    }
}

extension ImageFormatsError {
    /// The errno a file error carries (EIO for the other cases).
    package var errnoValue: Int32 {
        switch self {
        case let .fileReadFailed(_, code), let .fileWriteFailed(_, code): return code
        default: return EIO
        }
    }
}
