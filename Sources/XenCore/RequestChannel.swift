// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One request ring a frontend shares with the backend, and the event channel
/// that signals it: the counterpart of libxenbe's `RingBufferInBase`, and the
/// only request loop of every protocol (sndif streams, displif connectors,
/// usbif URBs).
///
/// The ring is set up once here (`ring-ref` mapped through the link, port
/// bound), each request is copied into private memory before the protocol sees
/// it, at most `budget` requests are served per call (a frontend refilling
/// its ring as fast as it is answered cannot hold the loop; `serve` reports
/// that work is left and the backend queues the channel behind the others),
/// and refused requests are logged a bounded number of times per connection.
public final class RequestChannel {
    /// What the protocol did with one request.
    public enum Verdict: Equatable, Sendable {
        /// The response buffer holds the answer: publish it.
        case respond
        /// No answer now (it comes later through `respond`, or never).
        case noResponse
        /// No answer now, and consume nothing more until the protocol calls
        /// `serve` again (a READ/WRITE waits for the device).
        case hold
    }

    /// Signals the frontend (`XenbusLink.notify` of the link the ring belongs to).
    private let notifier: (Port) throws(XenError) -> Void
    /// The local port of the channel's event channel.
    public let port: Port
    /// Most requests served per `serve` call.
    public let budget: Int
    private var ring: BackRing
    private let request: UnsafeMutableRawBufferPointer
    private let response: UnsafeMutableRawBufferPointer
    private var unpushed = false
    private var refusals: LogLimiter
    /// Requests consumed since the channel was set up.
    public private(set) var requestsServed = 0

    /// Sets up a channel: maps the frontend's ring page `ringRef` and binds
    /// its `remotePort` through `link` (both released with the link), with
    /// slots for `requestSize`/`responseSize` byte packets. `budget` defaults
    /// to one ring's worth of requests.
    public static func open<Platform: XenPlatform>(
        link: XenbusLink<Platform>, ringRef: UInt32, remotePort: UInt32, requestSize: Int, responseSize: Int,
        slotAlignment: Int = 8, budget: Int? = nil, refusalLogLimit: Int = 32
    ) throws(XenError) -> RequestChannel {
        let geometry = try RingGeometry(requestSize: requestSize, responseSize: responseSize, slotAlignment: slotAlignment)
        let mapping = try link.map(refs: [GrantRef(ringRef)], writable: true)
        let port = try link.bind(remotePort: Port(remotePort))
        return RequestChannel(ring: BackRing(pages: mapping.address, geometry: geometry), port: port,
                              budget: budget ?? Int(geometry.entries), refusalLogLimit: refusalLogLimit,
                              notifier: { (port: Port) throws(XenError) in try link.notify(port) })
    }

    private init(ring: BackRing, port: Port, budget: Int, refusalLogLimit: Int,
                 notifier: @escaping (Port) throws(XenError) -> Void) {
        self.ring = ring
        self.port = port
        self.budget = budget
        self.notifier = notifier
        self.refusals = LogLimiter(limit: refusalLogLimit)
        request = UnsafeMutableRawBufferPointer.allocate(byteCount: ring.geometry.slotSize, alignment: 8)
        response = UnsafeMutableRawBufferPointer.allocate(byteCount: ring.geometry.slotSize, alignment: 8)
        request.initializeMemory(as: UInt8.self, repeating: 0)
        response.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        request.deallocate()
        response.deallocate()
    }

    /// Slots of the ring.
    public var entries: UInt32 { ring.geometry.entries }

    /// Serves up to `budget` requests: each is copied out of the ring into
    /// private memory and handed to `handle` with a zeroed response buffer;
    /// responses are published (and the frontend notified if it asked) at the
    /// end. Returns true if requests are left (the budget ran out): the caller
    /// must come back. Throws for an impossible ring index or a failed notify
    /// (the caller closes that frontend).
    public func serve(
        _ handle: (_ request: UnsafeRawBufferPointer, _ response: UnsafeMutableRawBufferPointer) -> Verdict
    ) throws(XenError) -> Bool {
        var served = 0
        var more = false
        while true {
            if served == budget {
                // The budget can run out on the ring's last request: re-arm req_event
                // then too, or a frontend that filled the ring would never notify again.
                more = try ring.finalCheckForRequests()
                break
            }
            guard try ring.nextRequest(into: request) else {
                if try ring.finalCheckForRequests() { continue }
                break
            }
            served += 1
            requestsServed += 1
            PacketBytes.zero(response, count: response.count)
            let verdict = handle(UnsafeRawBufferPointer(request), response)
            if verdict == .respond { put() }
            if verdict == .hold { break }
        }
        try push()
        return more
    }

    /// Sends a response produced outside `serve` (`fill` writes it into a
    /// zeroed buffer); published at once.
    public func respond(_ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(XenError) {
        PacketBytes.zero(response, count: response.count)
        fill(response)
        put()
        try push()
    }

    /// Queues a response written with `fill` without publishing it yet (inside
    /// `serve`'s handler, for a request whose answer is not the handler's own).
    public func queueResponse(_ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        let saved = UnsafeMutableRawBufferPointer.allocate(byteCount: response.count, alignment: 8)
        defer { saved.deallocate() }
        saved.copyMemory(from: UnsafeRawBufferPointer(response))
        PacketBytes.zero(response, count: response.count)
        fill(response)
        put()
        response.copyMemory(from: UnsafeRawBufferPointer(saved))
    }

    /// Publishes queued responses and notifies the frontend if it asked.
    public func push() throws(XenError) {
        guard unpushed else { return }
        unpushed = false
        if ring.pushResponses() { try notifier(port) }
    }

    /// Logs why a request was refused, a bounded number of times per connection.
    public func logRefusal(_ log: XenLog, prefix: String, _ line: () -> String) {
        refusals.write(log, prefix: prefix, line)
    }

    private func put() {
        if ring.putResponse(UnsafeRawBufferPointer(response)) { unpushed = true }
    }
}
