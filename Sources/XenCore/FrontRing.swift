// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The frontend end of a xen/io/ring.h shared ring: produces requests, consumes
/// responses. Backends do not use it; simulated frontends do.
public struct FrontRing {
    public let geometry: RingGeometry
    private let shared: SharedIndices
    /// Next request slot to fill (`req_prod_pvt`).
    public private(set) var requestProducer: UInt32 = 0
    /// Next response to consume (`rsp_cons`).
    public private(set) var responseConsumer: UInt32 = 0

    /// Initialises the shared header (`SHARED_RING_INIT` + `FRONT_RING_INIT`).
    public init(initialising pages: UnsafeMutableRawPointer, geometry: RingGeometry) {
        self.geometry = geometry
        self.shared = SharedIndices(base: pages)
        shared.store(RingGeometry.reqProdOffset, 0)
        shared.store(RingGeometry.rspProdOffset, 0)
        shared.store(RingGeometry.reqEventOffset, 1)
        shared.store(RingGeometry.rspEventOffset, 1)
        for offset in stride(from: 16, to: RingGeometry.headerSize, by: 4) { shared.store(offset, 0) }
    }

    /// Free request slots (`RING_FREE_REQUESTS`).
    public var freeRequests: UInt32 { geometry.entries &- (requestProducer &- responseConsumer) }

    /// Writes a request into the next slot; false if the ring is full.
    public mutating func putRequest(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard freeRequests > 0, let source = bytes.baseAddress else { return false }
        let count = bytes.count < geometry.slotSize ? bytes.count : geometry.slotSize
        SharedMemory.copy(to: shared.base + geometry.slotOffset(requestProducer), from: source, count: count)
        requestProducer &+= 1
        return true
    }

    /// Publishes written requests; true if the backend asked to be notified.
    public mutating func pushRequests() -> Bool {
        let old = shared.load(RingGeometry.reqProdOffset)
        let new = requestProducer
        SharedMemory.writeBarrier()
        shared.store(RingGeometry.reqProdOffset, new)
        SharedMemory.fullBarrier()
        let event = shared.load(RingGeometry.reqEventOffset)
        return new &- event < new &- old
    }

    /// Copies the next response into `buffer`; false if none, `.ringOverrun`
    /// if the backend's producer is impossible (`RING_RESPONSE_PROD_OVERFLOW`).
    public mutating func nextResponse(into buffer: UnsafeMutableRawBufferPointer) throws(XenError) -> Bool {
        let producer = shared.load(RingGeometry.rspProdOffset)
        if producer &- responseConsumer > geometry.entries {
            throw .ringOverrun(producer: producer, consumer: responseConsumer, size: geometry.entries)
        }
        guard producer != responseConsumer, let destination = buffer.baseAddress else { return false }
        SharedMemory.readBarrier()
        let count = buffer.count < geometry.slotSize ? buffer.count : geometry.slotSize
        SharedMemory.copy(to: destination, from: shared.base + geometry.slotOffset(responseConsumer), count: count)
        responseConsumer &+= 1
        return true
    }

    /// Arms `rsp_event` and rechecks (`RING_FINAL_CHECK_FOR_RESPONSES`).
    public func finalCheckForResponses() -> Bool {
        if shared.load(RingGeometry.rspProdOffset) != responseConsumer { return true }
        shared.store(RingGeometry.rspEventOffset, responseConsumer &+ 1)
        SharedMemory.fullBarrier()
        return shared.load(RingGeometry.rspProdOffset) != responseConsumer
    }
}
