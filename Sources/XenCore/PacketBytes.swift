// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// Reads and writes little-endian fields of a private copy of a packet (a
/// request copied out of a shared ring, a response or event before it is
/// published): the one byte codec of every protocol module.
///
/// Each access checks its whole field against the buffer once (a field outside
/// the packet traps, as a byte subscript would) and then moves it with one
/// unaligned load or store instead of one bounds-checked byte at a time.
public enum PacketBytes {
    @inlinable @inline(__always)
    public static func check(_ count: Int, _ offset: Int, _ size: Int) {
        precondition(offset >= 0 && size <= count && offset <= count - size, "packet field outside the packet")
    }
    @inlinable
    public static func u8(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt8 { bytes[offset] }
    @inlinable
    public static func u16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        check(bytes.count, offset, 2)
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    @inlinable
    public static func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        check(bytes.count, offset, 4)
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    @inlinable
    public static func u64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        check(bytes.count, offset, 8)
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    @inlinable
    public static func put16(_ bytes: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: UInt16) {
        check(bytes.count, offset, 2)
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt16.self)
    }
    @inlinable
    public static func put32(_ bytes: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: UInt32) {
        check(bytes.count, offset, 4)
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
    @inlinable
    public static func put64(_ bytes: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: UInt64) {
        check(bytes.count, offset, 8)
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
    }
    /// Zeroes the first `count` bytes (a whole packet before it is encoded).
    @inlinable
    public static func zero(_ bytes: UnsafeMutableRawBufferPointer, count: Int) {
        check(bytes.count, 0, count)
        guard count > 0, let base = bytes.baseAddress else { return }
        memset(base, 0, count)
    }
}
