// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The backend end of a xen/io/ring.h shared ring: consumes requests, produces
/// responses (`BACK_RING_INIT`, `RING_COPY_REQUEST`, `RING_PUSH_RESPONSES_AND_CHECK_NOTIFY`,
/// `RING_FINAL_CHECK_FOR_REQUESTS`).
///
/// The frontend is untrusted: each request is copied out before the caller sees
/// it, and a producer index more than `entries` ahead of the responses is an
/// error (`RING_REQUEST_PROD_OVERFLOW`), after which the caller closes the frontend.
public struct BackRing {
    public let geometry: RingGeometry
    private let shared: SharedIndices
    /// Next request to consume (private, `req_cons`).
    public private(set) var requestConsumer: UInt32 = 0
    /// Next response slot to fill (private, `rsp_prod_pvt`).
    public private(set) var responseProducer: UInt32 = 0
    /// The producer index of the batch being consumed: `req_prod` is read once
    /// per batch (then `xen_rmb`), so a frontend rewriting it meanwhile cannot
    /// change what the current batch holds.
    private var batchEnd: UInt32 = 0

    /// Attaches to a ring the frontend initialised (`SHARED_RING_INIT`) in `pages`.
    public init(pages: UnsafeMutableRawPointer, geometry: RingGeometry) {
        self.geometry = geometry
        self.shared = SharedIndices(base: pages)
    }

    /// Number of requests ready to consume, or `.ringOverrun` if the frontend's
    /// producer index is impossible (`XEN_RING_NR_UNCONSUMED_REQUESTS` with the
    /// overflow check). Reads `req_prod` once.
    public func unconsumedRequests() throws(XenError) -> UInt32 {
        try available(upTo: shared.load(RingGeometry.reqProdOffset))
    }

    /// Requests between the consumer and `producer`, checked against the ring.
    private func available(upTo producer: UInt32) throws(XenError) -> UInt32 {
        if producer &- responseProducer > geometry.entries {
            throw .ringOverrun(producer: producer, consumer: requestConsumer, size: geometry.entries)
        }
        let requests = producer &- requestConsumer
        let space = geometry.entries &- (requestConsumer &- responseProducer)
        return requests < space ? requests : space
    }

    /// Copies the next request into `buffer` (at least `geometry.slotSize`
    /// bytes); false if there is none. `req_prod` is read only when the
    /// previous batch is consumed.
    public mutating func nextRequest(into buffer: UnsafeMutableRawBufferPointer) throws(XenError) -> Bool {
        guard let destination = buffer.baseAddress else { return false }
        if batchEnd == requestConsumer {
            let producer = shared.load(RingGeometry.reqProdOffset)
            let count = try available(upTo: producer)
            guard count > 0 else { return false }
            batchEnd = requestConsumer &+ count
            SharedMemory.readBarrier()  // see the requests only after their req_prod
        }
        let count = buffer.count < geometry.slotSize ? buffer.count : geometry.slotSize
        SharedMemory.copy(to: destination, from: shared.base + geometry.slotOffset(requestConsumer), count: count)
        requestConsumer &+= 1
        return true
    }

    /// Copies the next request out as a `Request` value (a plain struct of the
    /// protocol's request layout); nil if there is none.
    public mutating func nextRequest<Request: BitwiseCopyable>(_ type: Request.Type) throws(XenError) -> Request? {
        guard MemoryLayout<Request>.size <= geometry.slotSize else { return nil }
        let pointer = UnsafeMutablePointer<Request>.allocate(capacity: 1)
        defer { pointer.deallocate() }
        guard try nextRequest(into: UnsafeMutableRawBufferPointer(start: pointer, count: MemoryLayout<Request>.size)) else {
            return nil
        }
        return UnsafeRawPointer(pointer).load(as: Request.self)
    }

    /// Writes a `Response` value into the next response slot.
    public mutating func putResponse<Response: BitwiseCopyable>(_ response: Response) -> Bool {
        var copy = response
        return withUnsafeBytes(of: &copy) { putResponse($0) }
    }

    /// Writes a response into the next response slot (not yet visible to the frontend).
    /// Returns false if every slot already holds an unpushed or unanswered response.
    public mutating func putResponse(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let source = bytes.baseAddress, responseProducer != requestConsumer else { return false }
        let count = bytes.count < geometry.slotSize ? bytes.count : geometry.slotSize
        SharedMemory.copy(to: shared.base + geometry.slotOffset(responseProducer), from: source, count: count)
        responseProducer &+= 1
        return true
    }

    /// Publishes written responses; true if the frontend asked to be notified.
    public mutating func pushResponses() -> Bool {
        let old = shared.load(RingGeometry.rspProdOffset)
        let new = responseProducer
        SharedMemory.writeBarrier()  // responses before rsp_prod
        shared.store(RingGeometry.rspProdOffset, new)
        SharedMemory.fullBarrier()  // rsp_prod before reading rsp_event
        let event = shared.load(RingGeometry.rspEventOffset)
        return new &- event < new &- old
    }

    /// Arms `req_event` and rechecks, so no request is missed before sleeping;
    /// true if requests are waiting.
    public func finalCheckForRequests() throws(XenError) -> Bool {
        if try unconsumedRequests() > 0 { return true }
        shared.store(RingGeometry.reqEventOffset, requestConsumer &+ 1)
        SharedMemory.fullBarrier()
        return try unconsumedRequests() > 0
    }
}
