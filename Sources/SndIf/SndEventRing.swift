// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The backend (producer) side of a stream's event page (`struct
/// xensnd_event_page` in xen/io/sndif.h): the backend owns `in_prod`, the
/// frontend `in_cons`; events live in `XENSND_IN_RING_LEN` 64-octet slots after
/// the 64-byte header. An `in_cons` the frontend moved past `in_prod` or more
/// than the ring behind it is an overrun, and the frontend is closed.
public struct SndEventRing {
    private let page: UnsafeMutableRawPointer
    /// Next slot to write (private copy of `in_prod`).
    public private(set) var producer: UInt32

    /// Attaches to a mapped event page, continuing from the `in_prod` found there.
    public init(page: UnsafeMutableRawPointer) {
        self.page = page
        self.producer = SharedMemory.load32(page + SndIfWire.eventInProdOffset)
    }

    /// Free slots, or `.ringOverrun` if `in_cons` is impossible.
    public func freeSlots() throws(XenError) -> UInt32 {
        let consumer = SharedMemory.load32(page + SndIfWire.eventInConsOffset)
        let used = producer &- consumer
        guard used <= SndIfWire.eventRingLength else {
            throw .ringOverrun(producer: producer, consumer: consumer, size: SndIfWire.eventRingLength)
        }
        return SndIfWire.eventRingLength - used
    }

    /// Writes an XENSND_EVT_CUR_POS event; false if the ring is full (the
    /// frontend is not consuming; a later position supersedes this one).
    public mutating func putPosition(id: UInt16, position: UInt64) throws(XenError) -> Bool {
        guard try freeSlots() > 0 else { return false }
        let slot = page + SndIfWire.eventRingOffset + Int(producer % SndIfWire.eventRingLength) * SndIfWire.packetSize
        // Built in private (stack) memory, then copied into the slot in one go.
        withUnsafeTemporaryAllocation(byteCount: SndIfWire.packetSize, alignment: 8) { bytes in
            PacketBytes.zero(bytes, count: SndIfWire.packetSize)
            PacketBytes.put16(bytes, SndIfWire.idOffset, id)
            bytes[SndIfWire.operationOffset] = SndIfWire.eventCurrentPosition
            PacketBytes.put64(bytes, SndIfWire.eventPositionOffset, position)
            SharedMemory.copy(to: slot, from: bytes.baseAddress!, count: SndIfWire.packetSize)
        }
        producer &+= 1
        SharedMemory.writeBarrier()  // the event before in_prod
        SharedMemory.store32(page + SndIfWire.eventInProdOffset, producer)
        return true
    }
}
