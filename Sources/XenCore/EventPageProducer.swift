// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The backend (producer) side of a Xen event page: a 32-bit `in_cons`/`in_prod`
/// pair at fixed offsets and a ring of fixed-size event slots after them —
/// `struct xensnd_event_page` (xen/io/sndif.h), `struct xendispl_event_page`
/// (displif.h) and the in-ring of `struct xenkbd_page` (kbdif.h).
///
/// The backend owns `in_prod` and keeps its own copy (the frontend could write the
/// shared one); `in_cons` is read once per check, and a consumer index that claims
/// more than the ring holds is a hostile frontend: `.ringOverrun`. Events are built
/// in private memory and copied into their slot whole, and become visible only at
/// `publish` (write barrier, then `in_prod`).
public struct EventPageProducer {
    /// Where the indices and slots of one protocol's event page lie.
    public struct Layout: Sendable {
        public var consumerOffset: Int
        public var producerOffset: Int
        public var ringOffset: Int
        public var slotSize: Int
        public var slots: UInt32

        /// Describes a page layout.
        public init(consumerOffset: Int, producerOffset: Int, ringOffset: Int, slotSize: Int, slots: UInt32) {
            self.consumerOffset = consumerOffset
            self.producerOffset = producerOffset
            self.ringOffset = ringOffset
            self.slotSize = slotSize
            self.slots = slots
        }
    }

    private let page: UnsafeMutableRawPointer
    private let layout: Layout
    /// The next slot to write (the private copy of `in_prod`).
    public private(set) var producer: UInt32
    private var published: UInt32

    /// Attaches to a mapped event page, continuing from the `in_prod` found there.
    public init(page: UnsafeMutableRawPointer, layout: Layout) {
        self.page = page
        self.layout = layout
        let start = SharedMemory.load32(page + layout.producerOffset)
        producer = start
        published = start
    }

    /// Free slots now, or `.ringOverrun` if the frontend's `in_cons` is impossible.
    public func freeSlots() throws(XenError) -> UInt32 {
        let consumer = SharedMemory.load32(page + layout.consumerOffset)
        let used = producer &- consumer
        guard used <= layout.slots else {
            throw .ringOverrun(producer: producer, consumer: consumer, size: layout.slots)
        }
        return layout.slots - used
    }

    /// Builds the next event in zeroed private memory with `build` and copies it
    /// into its slot; not visible until `publish`. The caller checked `freeSlots`.
    public mutating func write(_ build: (UnsafeMutableRawBufferPointer) -> Void) {
        let slot = page + layout.ringOffset + Int(producer % layout.slots) * layout.slotSize
        withUnsafeTemporaryAllocation(byteCount: layout.slotSize, alignment: 8) { bytes in
            PacketBytes.zero(bytes, count: layout.slotSize)
            build(bytes)
            SharedMemory.copy(to: slot, from: bytes.baseAddress!, count: layout.slotSize)
        }
        producer &+= 1
    }

    /// Makes the written events visible (write barrier, then `in_prod`); true if any were new.
    @discardableResult
    public mutating func publish() -> Bool {
        guard producer != published else { return false }
        SharedMemory.writeBarrier()  // the events before in_prod
        SharedMemory.store32(page + layout.producerOffset, producer)
        published = producer
        return true
    }
}
