// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One response (`struct xendispl_resp`): the request's id and operation, a
/// status (0 or a negative Xen errno) and, for GET_EDID, the EDID size.
///
/// Every response is written as 64 octets with all reserved bytes zero: Linux's
/// frontend fills only the fields it uses when it reuses a ring slot, so the
/// zeroes left here are what its next request finds in the others.
public struct DisplResponse: Equatable, Sendable {
    public var id: UInt16
    public var operation: UInt8
    public var status: Int32
    public var edidBytes: UInt32

    public init(id: UInt16, operation: UInt8, status: Int32, edidBytes: UInt32 = 0) {
        self.id = id
        self.operation = operation
        self.status = status
        self.edidBytes = edidBytes
    }

    /// Encodes into 64 bytes.
    public func encode(into bytes: UnsafeMutableRawBufferPointer) {
        for index in 0..<DisplIfWire.packetSize { bytes[index] = 0 }
        PacketBytes.put16(bytes, DisplIfWire.idOffset, id)
        bytes[DisplIfWire.operationOffset] = operation
        PacketBytes.put32(bytes, DisplIfWire.statusOffset, UInt32(bitPattern: status))
        PacketBytes.put32(bytes, DisplIfWire.edidSizeOffset, edidBytes)
    }

    /// Decodes a response (used by simulated frontends).
    public init(decoding bytes: UnsafeRawBufferPointer) {
        id = PacketBytes.u16(bytes, DisplIfWire.idOffset)
        operation = bytes[DisplIfWire.operationOffset]
        status = Int32(bitPattern: PacketBytes.u32(bytes, DisplIfWire.statusOffset))
        edidBytes = PacketBytes.u32(bytes, DisplIfWire.edidSizeOffset)
    }
}
