// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The backend's (producer's) view of the shared `struct xenkbd_page`: events
/// go into the in-ring at `in_prod`, the frontend advances `in_cons`.
///
/// `in_prod` is kept privately (the frontend could overwrite the shared copy)
/// and `in_cons` is read once per check; a consumer index that claims more
/// than the ring holds is a hostile frontend and an error.
public struct KbdEventRing {
    let page: UnsafeMutableRawPointer
    /// The next slot to fill.
    public private(set) var producer: UInt32
    private var published: UInt32

    /// Attaches to a mapped page, taking the producer index the frontend
    /// initialised (xen-kbdfront sets in_cons = in_prod = 0).
    public init(page: UnsafeMutableRawPointer) {
        self.page = page
        let start = SharedMemory.load32(page + KbdIfWire.inProdOffset)
        self.producer = start
        self.published = start
    }

    /// Slots free now, or `.ringOverrun` if `in_cons` is impossible.
    public func freeSlots() throws(XenError) -> UInt32 {
        let consumer = SharedMemory.load32(page + KbdIfWire.inConsOffset)
        let used = producer &- consumer
        guard used <= KbdIfWire.inRingLength else {
            throw .ringOverrun(producer: producer, consumer: consumer, size: KbdIfWire.inRingLength)
        }
        return KbdIfWire.inRingLength - used
    }

    /// Writes an event into the next slot (not yet visible): the caller checked `freeSlots`.
    public mutating func put(_ event: KbdEvent) {
        let slot = page + KbdIfWire.inRingOffset + Int(producer % KbdIfWire.inRingLength) * KbdIfWire.eventSize
        event.encode(to: slot)
        producer &+= 1
    }

    /// Makes written events visible (`xen_wmb` then `in_prod`); true if any were new.
    public mutating func publish() -> Bool {
        guard producer != published else { return false }
        SharedMemory.writeBarrier()
        SharedMemory.store32(page + KbdIfWire.inProdOffset, producer)
        published = producer
        return true
    }

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
