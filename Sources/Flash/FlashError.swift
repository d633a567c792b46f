// SPDX-License-Identifier: Apache-2.0

/// Errors of `flash`: each names the file or device and where it failed.
package enum FlashError: Error, Equatable, CustomStringConvertible {
    case readBmapFailed(path: String, errno: Int32)
    case bmapRejected(path: String, reason: String)
    case bmapFileChecksumMismatch(path: String, stored: String, computed: String)
    case openImageFailed(path: String, errno: Int32)
    case imageTruncated(path: String, size: UInt64, expected: UInt64)
    case imageSizeMismatch(path: String, size: UInt64, expected: UInt64)
    case readImageFailed(path: String, offset: UInt64, errno: Int32)
    case imageRangeChecksumMismatch(path: String, firstBlock: UInt64, lastBlock: UInt64, offset: UInt64,
                                    expected: String, computed: String)
    case targetUnsupported(path: String, reason: String)
    case targetIsInput(path: String, input: String)
    case targetMounted(path: String, mountPoint: String, device: String)
    case targetHoldsRoot(path: String, device: String)
    case targetNotRemovable(path: String, disk: String)
    case targetTooSmall(path: String, size: UInt64, required: UInt64)
    case openTargetFailed(path: String, errno: Int32)
    case writeTargetFailed(path: String, offset: UInt64, errno: Int32)
    case readTargetFailed(path: String, offset: UInt64, errno: Int32)
    case relocateGPTFailed(path: String, reason: String)
    case verifyTargetMismatch(path: String, firstBlock: UInt64, lastBlock: UInt64, offset: UInt64,
                              expected: String, computed: String)

    package var description: String {
        switch self {
        case let .readBmapFailed(path, errno):
            return "Cannot read bmap file '\(path)' (errno \(errno)). Check that it exists next to the image."
        case let .bmapRejected(path, reason):
            return "Refusing bmap file '\(path)': \(reason)"
        case let .bmapFileChecksumMismatch(path, stored, computed):
            return "Refusing bmap file '\(path)': its BmapFileChecksum is \(stored) but its content hashes to \(computed). The bmap is corrupt or was edited; regenerate it. Nothing was written."
        case let .openImageFailed(path, errno):
            return "Cannot open image '\(path)' (errno \(errno))."
        case let .imageTruncated(path, size, expected):
            return "Refusing image '\(path)': it is \(size) bytes but its bmap says \(expected); the image is truncated (at byte \(size)). Copy or build it again. Nothing was written."
        case let .imageSizeMismatch(path, size, expected):
            return "Refusing image '\(path)': it is \(size) bytes but its bmap says \(expected); the bmap belongs to another image. Nothing was written."
        case let .readImageFailed(path, offset, errno):
            return "Cannot read image '\(path)' at byte \(offset) (errno \(errno))."
        case let .imageRangeChecksumMismatch(path, first, last, offset, expected, computed):
            return "Refusing image '\(path)': blocks \(first)-\(last) (from byte \(offset)) hash to \(computed) but the bmap says \(expected). The image is corrupt or does not match its bmap. Nothing was written."
        case let .targetUnsupported(path, reason):
            return "Cannot flash to '\(path)': \(reason)."
        case let .targetIsInput(path, input):
            return "Refusing to flash '\(path)': it is the same file as '\(input)', which would be destroyed."
        case let .targetMounted(path, mountPoint, device):
            return "Refusing to flash '\(path)': \(device) is mounted on '\(mountPoint)'. Unmount it first."
        case let .targetHoldsRoot(path, device):
            return "Refusing to flash '\(path)': it holds the running system's root filesystem (\(device))."
        case let .targetNotRemovable(path, disk):
            return "Refusing to flash '\(path)': disk \(disk) is not removable (/sys/block/\(disk)/removable is 0). Pass --force if it really is the target (e.g. eMMC through a USB reader)."
        case let .targetTooSmall(path, size, required):
            return "Cannot flash to '\(path)': it has \(size) bytes but the image needs \(required). Use a larger card."
        case let .openTargetFailed(path, errno):
            return "Cannot open '\(path)' for writing (errno \(errno)\(errno == 16 ? ": device busy, something holds it open" : ""))."
        case let .writeTargetFailed(path, offset, errno):
            return "Cannot write '\(path)' at byte \(offset) (errno \(errno)). The target is partially written."
        case let .readTargetFailed(path, offset, errno):
            return "Cannot read back '\(path)' at byte \(offset) (errno \(errno))."
        case let .relocateGPTFailed(path, reason):
            return "The image is on '\(path)' and verified, but moving the backup GPT to the end of the device failed: \(reason). Run 'sgdisk -e \(path)' to fix the partition table."
        case let .verifyTargetMismatch(path, first, last, offset, expected, computed):
            return "Verification of '\(path)' failed: blocks \(first)-\(last) (from byte \(offset)) read back as \(computed), expected \(expected). The medium may be failing or counterfeit."
        }
    }
}
