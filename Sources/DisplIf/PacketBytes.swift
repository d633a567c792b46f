// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Reads and writes little-endian fields of a private copy of a packet.
enum PacketBytes {
    static func u16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }
    static func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
    static func u64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(u32(bytes, offset)) | UInt64(u32(bytes, offset + 4)) << 32
    }
    static func put16(_ bytes: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }
    static func put32(_ bytes: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }
    static func put64(_ bytes: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: UInt64) {
        put32(bytes, offset, UInt32(truncatingIfNeeded: value))
        put32(bytes, offset + 4, UInt32(truncatingIfNeeded: value >> 32))
    }
}
