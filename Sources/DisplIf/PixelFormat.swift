// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The DRM FOURCC pixel formats a guest framebuffer may use (those Linux's
/// xen-drm-front offers) and how to turn a row of each into XRGB8888, the
/// format every `DisplaySink` shows.
public enum PixelFormat: UInt32, CaseIterable, Sendable {
    case xrgb8888 = 0x3432_5258  // "XR24"
    case argb8888 = 0x3432_5241  // "AR24"
    case rgb888 = 0x3432_4752  // "RG24"
    case rgb565 = 0x3631_4752  // "RG16"
    case xrgb1555 = 0x3531_5258  // "XR15"
    case argb1555 = 0x3531_5241  // "AR15"
    case xrgb4444 = 0x3231_5258  // "XR12"
    case argb4444 = 0x3231_5241  // "AR12"

    /// The format with this FOURCC; nil if unsupported.
    public init?(fourcc: UInt32) { self.init(rawValue: fourcc) }

    /// Bits per pixel.
    public var bitsPerPixel: UInt32 {
        switch self {
        case .xrgb8888, .argb8888: return 32
        case .rgb888: return 24
        case .rgb565, .xrgb1555, .argb1555, .xrgb4444, .argb4444: return 16
        }
    }

    /// Bytes per pixel.
    public var bytesPerPixel: Int { Int(bitsPerPixel / 8) }

    /// The four characters of a FOURCC code, for messages.
    public static func fourccText(_ code: UInt32) -> String {
        var bytes: [UInt8] = []
        for shift in [0, 8, 16, 24] as [UInt32] {
            let byte = UInt8(truncatingIfNeeded: code >> shift)
            bytes.append(byte >= 32 && byte < 127 ? byte : 63)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Converts `width` pixels at `source` into XRGB8888 at `destination`.
    public func convertRow(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, width: Int) {
        let out = destination.assumingMemoryBound(to: UInt32.self)
        switch self {
        case .xrgb8888, .argb8888:
            if Int(bitPattern: source) & 3 == 0 {  // aligned rows (every buffer xen-drm-front makes): a loop that vectorises
                let pixels = source.assumingMemoryBound(to: UInt32.self)
                for index in 0..<width { out[index] = pixels[index] & 0x00FF_FFFF }
            } else {
                for index in 0..<width { out[index] = source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self) & 0x00FF_FFFF }
            }
        case .rgb888:
            for index in 0..<width {
                let b = UInt32(source.load(fromByteOffset: index * 3, as: UInt8.self))
                let g = UInt32(source.load(fromByteOffset: index * 3 + 1, as: UInt8.self))
                let r = UInt32(source.load(fromByteOffset: index * 3 + 2, as: UInt8.self))
                out[index] = r << 16 | g << 8 | b
            }
        case .rgb565:
            for index in 0..<width {
                let p = UInt32(source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                out[index] = Self.expand(p >> 11, bits: 5) << 16 | Self.expand(p >> 5 & 0x3F, bits: 6) << 8 | Self.expand(p & 0x1F, bits: 5)
            }
        case .xrgb1555, .argb1555:
            for index in 0..<width {
                let p = UInt32(source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                out[index] = Self.expand(p >> 10 & 0x1F, bits: 5) << 16 | Self.expand(p >> 5 & 0x1F, bits: 5) << 8
                    | Self.expand(p & 0x1F, bits: 5)
            }
        case .xrgb4444, .argb4444:
            for index in 0..<width {
                let p = UInt32(source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                out[index] = (p >> 8 & 0xF) * 0x11 << 16 | (p >> 4 & 0xF) * 0x11 << 8 | (p & 0xF) * 0x11
            }
        }
    }

    /// Scales a `bits`-bit channel to 8 bits (replicating the high bits).
    static func expand(_ value: UInt32, bits: UInt32) -> UInt32 {
        (value << (8 - bits)) | (value >> (2 * bits - 8))
    }
}
