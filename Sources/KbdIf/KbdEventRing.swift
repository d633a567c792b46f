// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The backend's (producer's) view of the shared `struct xenkbd_page`: events
/// go into the in-ring at `in_prod`, the frontend advances `in_cons`.
///
/// `in_prod` is kept privately (the frontend could overwrite the shared copy)
/// and `in_cons` is read once per check; a consumer index that claims more
/// than the ring holds is a hostile frontend and an error.
public struct KbdEventRing {
    static let layout = EventPageProducer.Layout(
        consumerOffset: KbdIfWire.inConsOffset, producerOffset: KbdIfWire.inProdOffset,
        ringOffset: KbdIfWire.inRingOffset, slotSize: KbdIfWire.eventSize, slots: KbdIfWire.inRingLength)
    let page: UnsafeMutableRawPointer
    private var ring: EventPageProducer
    /// The next slot to fill.
    public var producer: UInt32 { ring.producer }

    /// Attaches to a mapped page, taking the producer index the frontend
    /// initialised (xen-kbdfront sets in_cons = in_prod = 0).
    public init(page: UnsafeMutableRawPointer) {
        self.page = page
        ring = EventPageProducer(page: page, layout: Self.layout)
    }

    /// Slots free now, or `.ringOverrun` if `in_cons` is impossible.
    public func freeSlots() throws(XenError) -> UInt32 { try ring.freeSlots() }

    /// Writes an event into the next slot (not yet visible): the caller checked `freeSlots`.
    public mutating func put(_ event: KbdEvent) {
        ring.write { event.encode(to: $0.baseAddress!) }
    }

    /// Makes written events visible (`xen_wmb` then `in_prod`); true if any were new.
    public mutating func publish() -> Bool { ring.publish() }

    /// Consumes frontend-to-backend events (none are defined: "receipt of an
    /// unknown out event is an error"). Returns how many were skipped; a
    /// producer running past the out-ring is `.ringOverrun`.
    public func drainOutRing() throws(XenError) -> UInt32 {
        let outProducer = SharedMemory.load32(page + KbdIfWire.outProdOffset)
        let outConsumer = SharedMemory.load32(page + KbdIfWire.outConsOffset)
        let pending = outProducer &- outConsumer
        guard pending <= KbdIfWire.outRingLength else {
            throw .ringOverrun(producer: outProducer, consumer: outConsumer, size: KbdIfWire.outRingLength)
        }
        guard pending > 0 else { return 0 }
        SharedMemory.fullBarrier()
        SharedMemory.store32(page + KbdIfWire.outConsOffset, outProducer)
        return pending
    }
}
