// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The backend (producer) side of a connector's event page (`struct
/// xendispl_event_page` in xen/io/displif.h): the backend owns `in_prod`, the
/// frontend `in_cons`; events live in `XENDISPL_IN_RING_LEN` 64-octet slots
/// after the 64-byte header. An `in_cons` the frontend moved past `in_prod` or
/// more than the ring behind it is an overrun, and the frontend is closed.
public struct DisplEventRing {
    private let page: UnsafeMutableRawPointer
    /// Next slot to write (private copy of `in_prod`).
    public private(set) var producer: UInt32
    private var scratch = [UInt8](repeating: 0, count: DisplIfWire.packetSize)

    /// Attaches to a mapped event page, continuing from the `in_prod` found there.
    public init(page: UnsafeMutableRawPointer) {
        self.page = page
        self.producer = SharedMemory.load32(page + DisplIfWire.eventInProdOffset)
    }

    /// Free slots, or `.ringOverrun` if `in_cons` is impossible.
    public func freeSlots() throws(XenError) -> UInt32 {
        let consumer = SharedMemory.load32(page + DisplIfWire.eventInConsOffset)
        let used = producer &- consumer
        guard used <= DisplIfWire.eventRingLength else {
            throw .ringOverrun(producer: producer, consumer: consumer, size: DisplIfWire.eventRingLength)
        }
        return DisplIfWire.eventRingLength - used
    }

    /// Writes an XENDISPL_EVT_PG_FLIP event; false if the ring is full (the
    /// frontend is not consuming; its flip-done timeout covers the loss).
    public mutating func putPageFlip(id: UInt16, fbCookie: UInt64) throws(XenError) -> Bool {
        guard try freeSlots() > 0 else { return false }
        let slot = page + DisplIfWire.eventRingOffset + Int(producer % DisplIfWire.eventRingLength) * DisplIfWire.packetSize
        scratch.withUnsafeMutableBytes { bytes in
            for index in 0..<DisplIfWire.packetSize { bytes[index] = 0 }
            PacketBytes.put16(bytes, DisplIfWire.idOffset, id)
            bytes[DisplIfWire.operationOffset] = DisplIfWire.eventPageFlip
            PacketBytes.put64(bytes, DisplIfWire.cookieOffset, fbCookie)
            SharedMemory.copy(to: slot, from: bytes.baseAddress!, count: DisplIfWire.packetSize)
        }
        producer &+= 1
        SharedMemory.writeBarrier()  // the event before in_prod
        SharedMemory.store32(page + DisplIfWire.eventInProdOffset, producer)
        return true
    }
}
