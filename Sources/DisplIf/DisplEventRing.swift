// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The backend (producer) side of a connector's event page (`struct
/// xendispl_event_page` in xen/io/displif.h): `XENDISPL_IN_RING_LEN` 64-octet
/// slots after the 64-byte header, ring mechanics in `EventPageProducer`.
public struct DisplEventRing {
    static let layout = EventPageProducer.Layout(
        consumerOffset: DisplIfWire.eventInConsOffset, producerOffset: DisplIfWire.eventInProdOffset,
        ringOffset: DisplIfWire.eventRingOffset, slotSize: DisplIfWire.packetSize, slots: DisplIfWire.eventRingLength)
    private var ring: EventPageProducer
    /// Next slot to write (private copy of `in_prod`).
    public var producer: UInt32 { ring.producer }

    /// Attaches to a mapped event page, continuing from the `in_prod` found there.
    public init(page: UnsafeMutableRawPointer) {
        ring = EventPageProducer(page: page, layout: Self.layout)
    }

    /// Free slots, or `.ringOverrun` if `in_cons` is impossible.
    public func freeSlots() throws(XenError) -> UInt32 { try ring.freeSlots() }

    /// Writes an XENDISPL_EVT_PG_FLIP event; false if the ring is full (the
    /// frontend is not consuming; its flip-done timeout covers the loss).
    public mutating func putPageFlip(id: UInt16, fbCookie: UInt64) throws(XenError) -> Bool {
        guard try ring.freeSlots() > 0 else { return false }
        ring.write { bytes in
            PacketBytes.put16(bytes, DisplIfWire.idOffset, id)
            bytes[DisplIfWire.operationOffset] = DisplIfWire.eventPageFlip
            PacketBytes.put64(bytes, DisplIfWire.cookieOffset, fbCookie)
        }
        ring.publish()
        return true
    }
}
