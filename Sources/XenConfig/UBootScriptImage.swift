// SPDX-License-Identifier: Apache-2.0
import ImageFormats

/// A U-Boot legacy script image (`boot.scr`), byte-identical to
/// `mkimage -A arm64 -O linux -T script -C none -d boot.cmd boot.scr` run with
/// `SOURCE_DATE_EPOCH` set: a 64-byte big-endian header (magic 0x27051956,
/// header CRC32, time, data size, load and entry address 0, data CRC32, OS Linux,
/// architecture ARM64, type script, no compression, empty name) followed by the
/// multi-file payload U-Boot's `source` command expects — the script's length,
/// a zero terminator, then the script.
package enum UBootScriptImage {
    static let magic: UInt32 = 0x2705_1956
    static let osLinux: UInt8 = 5
    static let archARM64: UInt8 = 22
    static let typeScript: UInt8 = 6
    static let compressionNone: UInt8 = 0

    /// The image of `script` stamped with `time` (seconds since 1970).
    package static func encode(_ script: String, time: UInt32) -> [UInt8] {
        let body = Array(script.utf8)
        var data = bigEndian(UInt32(body.count)) + bigEndian(0)
        data += body
        var header = bigEndian(magic) + bigEndian(0) + bigEndian(time) + bigEndian(UInt32(data.count))
        header += bigEndian(0) + bigEndian(0) + bigEndian(CRC32.checksum(data))
        header += [osLinux, archARM64, typeScript, compressionNone]
        header += [UInt8](repeating: 0, count: 32)
        let headerCRC = bigEndian(CRC32.checksum(header))
        header.replaceSubrange(4..<8, with: headerCRC)
        return header + data
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
