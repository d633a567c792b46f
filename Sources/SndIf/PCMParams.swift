// SPDX-License-Identifier: GPL-2.0-only OR MIT

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
        guard let index = PCMFormat.names.firstIndex(of: name) else { return nil }
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

/// A closed interval of an unsigned parameter, as in `xensnd_query_hw_param`.
public struct PCMInterval: Equatable, Sendable {
    public var min: UInt32
    public var max: UInt32
    public init(min: UInt32, max: UInt32) {
        self.min = min
        self.max = max
    }
    /// Everything a 32-bit field can say.
    public static let any = PCMInterval(min: 0, max: UInt32.max)
    public var isEmpty: Bool { min > max }
    public func contains(_ value: UInt32) -> Bool { value >= min && value <= max }
    /// The overlap of two intervals (empty if none).
    public func intersection(_ other: PCMInterval) -> PCMInterval {
        PCMInterval(min: Swift.max(min, other.min), max: Swift.min(max, other.max))
    }
}

/// The configuration space of a stream (`struct xensnd_query_hw_param`):
/// a format mask and intervals of rate, channels, buffer and period frames.
public struct PCMRanges: Equatable, Sendable {
    public var formats: UInt64
    public var rates: PCMInterval
    public var channels: PCMInterval
    public var bufferFrames: PCMInterval
    public var periodFrames: PCMInterval
    public init(formats: UInt64, rates: PCMInterval, channels: PCMInterval, bufferFrames: PCMInterval, periodFrames: PCMInterval) {
        self.formats = formats
        self.rates = rates
        self.channels = channels
        self.bufferFrames = bufferFrames
        self.periodFrames = periodFrames
    }
    /// No restriction.
    public static let unrestricted = PCMRanges(formats: UInt64.max, rates: .any, channels: .any, bufferFrames: .any, periodFrames: .any)

    /// The overlap of two configuration spaces.
    public func intersection(_ other: PCMRanges) -> PCMRanges {
        PCMRanges(formats: formats & other.formats, rates: rates.intersection(other.rates),
                  channels: channels.intersection(other.channels),
                  bufferFrames: bufferFrames.intersection(other.bufferFrames),
                  periodFrames: periodFrames.intersection(other.periodFrames))
    }

    /// True if no configuration is left.
    public var isEmpty: Bool {
        formats == 0 || rates.isEmpty || channels.isEmpty || bufferFrames.isEmpty || periodFrames.isEmpty
    }
}

/// The parameters a stream is opened with (`XENSND_OP_OPEN`), in frames.
public struct PCMParams: Equatable, Sendable {
    public var format: PCMFormat
    public var rate: UInt32
    public var channels: UInt32
    public var bufferFrames: UInt32
    public var periodFrames: UInt32
    public init(format: PCMFormat, rate: UInt32, channels: UInt32, bufferFrames: UInt32, periodFrames: UInt32) {
        self.format = format
        self.rate = rate
        self.channels = channels
        self.bufferFrames = bufferFrames
        self.periodFrames = periodFrames
    }
    /// Bytes of one frame (all channels of one sample instant).
    public var frameBytes: Int { (format.bytesPerSample ?? 1) * Int(channels) }
}

/// Which way a stream moves samples.
public enum PCMDirection: Equatable, Sendable {
    case playback
    case capture
}
