// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A sample format (`XENSND_PCM_FORMAT_*` in xen/io/sndif.h).
public struct PCMFormat: RawRepresentable, Hashable, CustomStringConvertible, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let s8 = PCMFormat(0), u8 = PCMFormat(1)
    public static let s16LE = PCMFormat(2), s16BE = PCMFormat(3), u16LE = PCMFormat(4), u16BE = PCMFormat(5)
    public static let s24LE = PCMFormat(6), s24BE = PCMFormat(7), u24LE = PCMFormat(8), u24BE = PCMFormat(9)
    public static let s32LE = PCMFormat(10), s32BE = PCMFormat(11), u32LE = PCMFormat(12), u32BE = PCMFormat(13)
    public static let f32LE = PCMFormat(14), f32BE = PCMFormat(15), f64LE = PCMFormat(16), f64BE = PCMFormat(17)
    public static let iec958LE = PCMFormat(18), iec958BE = PCMFormat(19)
    public static let muLaw = PCMFormat(20), aLaw = PCMFormat(21)
    public static let imaADPCM = PCMFormat(22), mpeg = PCMFormat(23), gsm = PCMFormat(24)

    /// Names used in the `sample-formats` xenstore node (`XENSND_PCM_FORMAT_*_STR`), by code.
    public static let names = [
        "s8", "u8", "s16_le", "s16_be", "u16_le", "u16_be", "s24_le", "s24_be", "u24_le", "u24_be",
        "s32_le", "s32_be", "u32_le", "u32_be", "float_le", "float_be", "float64_le", "float64_be",
        "iec958_subframe_le", "iec958_subframe_be", "mu_law", "a_law", "ima_adpcm", "mpeg", "gsm",
    ]

    /// The format named `name` in xenstore; nil if unknown.
    public init?(name: String) {
        guard let index = PCMFormat.names.firstIndex(where: { $0.bytesEqual(name) }) else { return nil }
        self.rawValue = UInt8(index)
    }

    /// Bytes of one sample; nil for compressed formats (ADPCM, MPEG, GSM), which
    /// this backend does not stream.
    public var bytesPerSample: Int? {
        switch rawValue {
        case 0, 1, 20, 21: return 1
        case 2...5: return 2
        case 6...13, 14, 15, 18, 19: return 4
        case 16, 17: return 8
        default: return nil
        }
    }

    /// Bit in a `formats` mask (`1 << XENSND_PCM_FORMAT_*`).
    public var maskBit: UInt64 { rawValue < 64 ? UInt64(1) << UInt64(rawValue) : 0 }

    public var description: String { Int(rawValue) < PCMFormat.names.count ? PCMFormat.names[Int(rawValue)] : "format-\(rawValue)" }
}
