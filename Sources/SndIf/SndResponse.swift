// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One response (`struct xensnd_resp`): the request's id and operation, a
/// status (0 or a negative Xen errno) and, for HW_PARAM_QUERY, the ranges.
public struct SndResponse: Equatable, Sendable {
    public var id: UInt16
    public var operation: UInt8
    public var status: Int32
    public var ranges: PCMRanges?

    public init(id: UInt16, operation: UInt8, status: Int32, ranges: PCMRanges? = nil) {
        self.id = id
        self.operation = operation
        self.status = status
        self.ranges = ranges
    }

    /// Encodes into 64 bytes.
    public func encode(into bytes: UnsafeMutableRawBufferPointer) {
        PacketBytes.zero(bytes, count: SndIfWire.packetSize)
        PacketBytes.put16(bytes, SndIfWire.idOffset, id)
        bytes[SndIfWire.operationOffset] = operation
        PacketBytes.put32(bytes, SndIfWire.statusOffset, UInt32(bitPattern: status))
        if let ranges { SndRequest.encodeRanges(ranges, into: bytes) }
    }

    /// Decodes a response (used by simulated frontends); ranges only for HW_PARAM_QUERY.
    public init(decoding bytes: UnsafeRawBufferPointer) {
        id = PacketBytes.u16(bytes, SndIfWire.idOffset)
        operation = bytes[SndIfWire.operationOffset]
        status = Int32(bitPattern: PacketBytes.u32(bytes, SndIfWire.statusOffset))
        ranges = operation == SndIfWire.opHwParamQuery ? SndRequest.decodeRanges(bytes) : nil
    }
}
