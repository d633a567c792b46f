// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Moves a GPT's backup header and entries to the end of a disk larger than
/// the image it came from (an SD card bigger than the disk image), and
/// updates the primary header (alternate LBA, last usable LBA, CRC) and the
/// protective MBR to match — what `sgdisk -e` does, without an extra tool.
package enum GPTRelocation {
    /// One write to make on the target.
    package struct Write: Sendable, Equatable {
        package var offset: UInt64
        package var bytes: [UInt8]
    }

    /// Number of bytes from the start of the disk `writes` needs to read:
    /// enough for the MBR, header and a 128-entry array at 4 KiB sectors.
    package static let headSize = 6 * 4096

    /// The writes that relocate the GPT found in `head` (the first
    /// `headSize` bytes of the image) to a disk of `diskSize` bytes; nil if
    /// `head` holds no valid GPT or the backup is already at the end.
    package static func writes(head: [UInt8], diskSize: UInt64) throws(ImageFormatsError) -> [Write]? {
        guard let sectorSize = [UInt64(512), 4096].first(where: { hasSignature(head, at: Int($0)) }) else { return nil }
        let header = Array(head[Int(sectorSize)..<Int(sectorSize) + 92])
        var check = header
        check.replaceSubrange(16..<20, with: [0, 0, 0, 0])
        guard get32(header, 12) == 92, CRC32.checksum(check) == get32(header, 16), get64(header, 24) == 1 else {
            throw .diskLayoutInvalid(reason: "the image's primary GPT header is corrupt (size or CRC)")
        }
        let entriesLBA = get64(header, 72)
        let entriesBytes = UInt64(get32(header, 80)) * UInt64(get32(header, 84))
        let entriesStart = Int(entriesLBA * sectorSize)
        guard entriesLBA >= 2, entriesBytes > 0, entriesStart + Int(entriesBytes) <= head.count else {
            throw .diskLayoutInvalid(reason: "the image's GPT entry array (LBA \(entriesLBA), \(entriesBytes) bytes) is not where expected")
        }
        let entries = Array(head[entriesStart..<entriesStart + Int(entriesBytes)])
        guard CRC32.checksum(entries) == get32(header, 88) else {
            throw .diskLayoutInvalid(reason: "the image's GPT entry array CRC does not match")
        }
        let sectorCount = diskSize / sectorSize
        let entriesSectors = (entriesBytes + sectorSize - 1) / sectorSize
        let oldAlternate = get64(header, 32)
        guard sectorCount - 1 > oldAlternate else { return nil }
        let lastUsable = sectorCount - 2 - entriesSectors

        var primary = header
        put64(&primary, 32, sectorCount - 1)
        put64(&primary, 48, lastUsable)
        var backup = primary
        put64(&backup, 24, sectorCount - 1)
        put64(&backup, 32, 1)
        put64(&backup, 72, sectorCount - 1 - entriesSectors)
        func sealed(_ header: [UInt8]) -> [UInt8] {
            var bytes = header
            put32(&bytes, 16, 0)
            put32(&bytes, 16, CRC32.checksum(bytes))
            return bytes + [UInt8](repeating: 0, count: Int(sectorSize) - 92)
        }
        var mbr = Array(head[0..<Int(sectorSize)])
        if mbr[446 + 4] == 0xEE {
            put32(&mbr, 446 + 12, UInt32(min(sectorCount - 1, UInt64(UInt32.max))))
        }
        var backupArea = entries + [UInt8](repeating: 0, count: Int(entriesSectors * sectorSize - entriesBytes))
        backupArea += sealed(backup)
        return [
            Write(offset: 0, bytes: mbr + sealed(primary)),
            Write(offset: oldAlternate * sectorSize, bytes: [UInt8](repeating: 0, count: Int(sectorSize))),
            Write(offset: (sectorCount - 1 - entriesSectors) * sectorSize, bytes: backupArea),
        ]
    }

    private static func hasSignature(_ head: [UInt8], at offset: Int) -> Bool {
        offset + 92 <= head.count && head[offset..<offset + 8].elementsEqual("EFI PART".utf8)
    }

    private static func get32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    private static func get64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}
