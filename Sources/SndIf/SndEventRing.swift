// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The backend (producer) side of a stream's event page (`struct
/// xensnd_event_page` in xen/io/sndif.h): `XENSND_IN_RING_LEN` 64-octet slots
/// after the 64-byte header, ring mechanics in `EventPageProducer`.
public struct SndEventRing {
    static let layout = EventPageProducer.Layout(
        consumerOffset: SndIfWire.eventInConsOffset, producerOffset: SndIfWire.eventInProdOffset,
        ringOffset: SndIfWire.eventRingOffset, slotSize: SndIfWire.packetSize, slots: SndIfWire.eventRingLength)
    private var ring: EventPageProducer
    /// Next slot to write (private copy of `in_prod`).
    public var producer: UInt32 { ring.producer }

    /// Attaches to a mapped event page, continuing from the `in_prod` found there.
    public init(page: UnsafeMutableRawPointer) {
        ring = EventPageProducer(page: page, layout: Self.layout)
    }

    /// Free slots, or `.ringOverrun` if `in_cons` is impossible.
    public func freeSlots() throws(XenError) -> UInt32 { try ring.freeSlots() }

    /// Writes an XENSND_EVT_CUR_POS event; false if the ring is full (the
    /// frontend is not consuming; a later position supersedes this one).
    public mutating func putPosition(id: UInt16, position: UInt64) throws(XenError) -> Bool {
        guard try ring.freeSlots() > 0 else { return false }
        ring.write { bytes in
            PacketBytes.put16(bytes, SndIfWire.idOffset, id)
            bytes[SndIfWire.operationOffset] = SndIfWire.eventCurrentPosition
            PacketBytes.put64(bytes, SndIfWire.eventPositionOffset, position)
        }
        ring.publish()
        return true
    }
}
