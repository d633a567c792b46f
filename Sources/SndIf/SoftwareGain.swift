// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// Per-channel volume and mute applied to the samples themselves, for PCM
/// devices without a hardware control (`XENSND_OP_SET_VOLUME`/`GET_VOLUME`/
/// `MUTE`/`UNMUTE` in xen/io/sndif.h). Levels are in steps of 0.001 dB, 0 being
/// 0 dB (unity); from `silenceLevel` down the channel is silent; above
/// `maximumLevel` a level is refused. Integer samples are scaled with rounding
/// and clipped; unsigned formats are scaled around their midpoint.
public struct SoftwareGain: Equatable {
    /// The loudest level accepted: +24 dB.
    public static let maximumLevel: Int32 = 24_000
    /// At or below this level (-120 dB) a channel is silent.
    public static let silenceLevel: Int32 = -120_000

    /// Each channel's level in 0.001 dB.
    public private(set) var levels: [Int32]
    /// Each channel's mute state.
    public private(set) var muted: [Bool]
    private var factors: [Double]

    /// Unity gain, nothing muted, for `channels` channels.
    public init(channels: Int = 0) {
        levels = [Int32](repeating: 0, count: channels)
        muted = [Bool](repeating: false, count: channels)
        factors = [Double](repeating: 1, count: channels)
    }

    /// Whether applying the gain would change nothing.
    public var isUnity: Bool { !levels.contains { $0 != 0 } && !muted.contains(true) }

    /// Formats whose samples this gain can scale (linear PCM, little endian).
    public static func supports(_ format: PCMFormat) -> Bool {
        [PCMFormat.s8, .u8, .s16LE, .u16LE, .s24LE, .u24LE, .s32LE, .u32LE, .f32LE].contains(format)
    }

    /// Sets every channel's level; returns the first level above `maximumLevel`
    /// (and changes nothing) or nil. Extra levels are ignored, missing ones keep theirs.
    public mutating func setLevels(_ newLevels: [Int32]) -> Int32? {
        if let loud = newLevels.first(where: { $0 > Self.maximumLevel }) { return loud }
        for index in 0..<min(newLevels.count, levels.count) { levels[index] = newLevels[index] }
        refresh()
        return nil
    }

    /// Mutes (or unmutes) the channels whose flag is set.
    public mutating func setMute(_ which: [Bool], muted value: Bool) {
        for index in 0..<min(which.count, muted.count) where which[index] { muted[index] = value }
        refresh()
    }

    private mutating func refresh() {
        for index in levels.indices {
            if muted[index] || levels[index] <= Self.silenceLevel {
                factors[index] = 0
            } else {
                factors[index] = clinux_pow10(Double(levels[index]) / 20_000)
            }
        }
    }

    /// Scales the interleaved frames in `bytes` (whole samples only; a trailing
    /// partial sample is left as is). Does nothing for an unsupported format.
    public func apply(to bytes: UnsafeMutableRawBufferPointer, format: PCMFormat) {
        guard !factors.isEmpty, let width = format.bytesPerSample, Self.supports(format) else { return }
        let samples = bytes.count / width
        let channels = factors.count
        for index in 0..<samples {
            let factor = factors[index % channels]
            if factor == 1 { continue }
            let offset = index * width
            switch format {
            case .s8:
                bytes[offset] = UInt8(bitPattern: Int8(scaled(Int64(Int8(bitPattern: bytes[offset])), factor, bits: 8)))
            case .u8:
                bytes[offset] = UInt8(scaled(Int64(bytes[offset]) - 128, factor, bits: 8) + 128)
            case .s16LE, .u16LE:
                let raw = Int64(UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8)
                let signed = format == .s16LE ? Int64(Int16(truncatingIfNeeded: raw)) : raw - 32_768
                let result = scaled(signed, factor, bits: 16) + (format == .s16LE ? 0 : 32_768)
                let stored = UInt16(truncatingIfNeeded: result)
                bytes[offset] = UInt8(truncatingIfNeeded: stored)
                bytes[offset + 1] = UInt8(truncatingIfNeeded: stored >> 8)
            case .f32LE:
                let value = Float(bitPattern: load32(bytes, offset))
                store32(bytes, offset, (value * Float(factor)).bitPattern)
            default:  // 24-bit in 32-bit containers and 32-bit
                let raw = load32(bytes, offset)
                let signed: Int64
                let bits = format == .s24LE || format == .u24LE ? 24 : 32
                switch format {
                case .s24LE: signed = Int64(Int32(bitPattern: raw << 8) >> 8)
                case .u24LE: signed = Int64(raw & 0xff_ffff) - 0x80_0000
                case .s32LE: signed = Int64(Int32(bitPattern: raw))
                default: signed = Int64(raw) - 0x8000_0000
                }
                var result = scaled(signed, factor, bits: bits)
                if format == .u24LE { result += 0x80_0000 }
                if format == .u32LE { result += 0x8000_0000 }
                let stored = UInt32(truncatingIfNeeded: result)
                store32(bytes, offset, bits == 24 ? (raw & 0xff00_0000) | (stored & 0xff_ffff) : stored)
            }
        }
    }

    /// `sample * factor`, rounded half away from zero and clipped to a signed `bits`-bit range.
    private func scaled(_ sample: Int64, _ factor: Double, bits: Int) -> Int64 {
        let limit = Int64(1) << (bits - 1)
        let product = Double(sample) * factor
        let rounded = product < 0 ? product - 0.5 : product + 0.5
        if rounded >= Double(limit - 1) { return limit - 1 }
        if rounded <= Double(-limit) { return -limit }
        return Int64(rounded)
    }

    private func load32(_ bytes: UnsafeMutableRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    private func store32(_ bytes: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: UInt32) {
        for shift in 0..<4 { bytes[offset + shift] = UInt8(truncatingIfNeeded: value >> UInt32(shift * 8)) }
    }
}
