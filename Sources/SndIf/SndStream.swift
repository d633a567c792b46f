// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One sndif stream of a connected frontend: its request ring and event page,
/// its shared buffer (mapped at OPEN through the page directory) and the host
/// PCM device bound to it.
///
/// The stream's state machine (xen/io/sndif.h, XENSND_OP_OPEN/CLOSE/TRIGGER):
///
///     closed --OPEN--> prepared --TRIGGER start--> running --TRIGGER pause--> paused
///     paused --TRIGGER resume--> running
///     running|paused --TRIGGER stop--> prepared
///     prepared|running|paused --OPEN--> prepared  (the old buffer is released first)
///     prepared|running|paused --CLOSE--> closed   (CLOSE when closed: answered 0)
///
/// Linux's snd_xen_front sends CLOSE from every hw_free and OPEN from the first
/// prepare after each hw_params, so OPEN on an open stream and CLOSE on a closed
/// one are normal. Any other transition is answered with `-XEN_EPERM`, and
/// READ/WRITE/volume on a closed stream with `-XEN_EBADF`.
///
/// XENSND_EVT_CUR_POS events go out while running, each time the position
/// crosses a multiple of the period given at OPEN; none while paused. The
/// position counts octets since OPEN and keeps counting across stop/start,
/// because the frontend computes each advance as the difference from the last
/// position it saw and only resets that at OPEN.
public final class SndStream<PCM: PCMDevice> {
    public enum State: String, Equatable, Sendable {
        case closed, prepared, running, paused
    }

    public let config: SndStreamConfig
    public let pcm: PCM
    public internal(set) var state: State = .closed
    /// Parameters of the open stream; nil while closed.
    public internal(set) var params: PCMParams?
    /// Local port of the request ring's event channel, and of the event page's.
    public let requestPort: Port
    public let eventPort: Port
    var ring: BackRing
    var events: SndEventRing
    var buffer: GrantMapping?
    var periodBytes: UInt64 = 0
    var reportedPeriods: UInt64 = 0
    /// Frames processed before the last stop (the device counts from 0 again after it).
    var framesBeforeStop: UInt64 = 0
    var nextEventID: UInt16 = 0
    /// A READ or WRITE waiting for the device: the request and what is left of its range.
    var pending: (request: SndRequest, offset: Int, remaining: Int)?
    /// Private copy of the request being served, and the response being written
    /// (one allocation for the stream's life, not an array checked for uniqueness per packet).
    private let slot = UnsafeMutableRawBufferPointer.allocate(byteCount: SndIfWire.packetSize, alignment: 8)
    /// Counters for logs and tests.
    public private(set) var requestsServed = 0
    public private(set) var positionEventsSent = 0
    public private(set) var positionEventsDropped = 0

    init(config: SndStreamConfig, pcm: PCM, ring: BackRing, events: SndEventRing, requestPort: Port, eventPort: Port) {
        self.config = config
        self.pcm = pcm
        self.ring = ring
        self.events = events
        self.requestPort = requestPort
        self.eventPort = eventPort
        slot.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { slot.deallocate() }

    /// Bytes of the mapped shared buffer (0 while closed).
    public var bufferBytes: Int { buffer == nil ? 0 : Int(openBufferBytes) }
    var openBufferBytes: UInt32 = 0

    /// Serves requests until the ring is empty or a READ/WRITE waits for the
    /// device; notifies the frontend if it asked. Throws (closing the frontend)
    /// only for ring overruns and event-channel failures.
    func processRequests<Platform: XenPlatform>(_ link: XenbusLink<Platform>) throws(XenError) {
        var answered = false
        while pending == nil {
            guard try ring.nextRequest(into: slot) else {
                if try ring.finalCheckForRequests() { continue }
                break
            }
            let request = SndRequest(decoding: UnsafeRawBufferPointer(slot))
            if let response = handle(request, link: link) {
                put(response)
                answered = true
            }
        }
        if answered { try pushResponses(link) }
        try reportPosition(link)
    }

    /// The device's fd was readable: finish a waiting READ/WRITE, serve the
    /// requests behind it, and send position events.
    func service<Platform: XenPlatform>(_ link: XenbusLink<Platform>) throws(XenError) {
        pcm.service()
        if pending != nil {
            guard let response = continuePending() else {
                try reportPosition(link)
                return
            }
            put(response)
            try pushResponses(link)
        }
        try processRequests(link)
    }

    /// Forgets the frontend's pages and closes the device (the link unmaps).
    func disconnect() {
        if state != .closed { pcm.close() }
        state = .closed
        params = nil
        buffer = nil
        pending = nil
    }

    private func put(_ response: SndResponse) {
        requestsServed += 1
        response.encode(into: slot)
        _ = ring.putResponse(UnsafeRawBufferPointer(slot))
    }

    private func pushResponses<Platform: XenPlatform>(_ link: XenbusLink<Platform>) throws(XenError) {
        if ring.pushResponses() { try link.notify(requestPort) }
    }

    /// Sends one XENSND_EVT_CUR_POS when the position crossed a period boundary.
    func reportPosition<Platform: XenPlatform>(_ link: XenbusLink<Platform>) throws(XenError) {
        guard state == .running, periodBytes > 0, let params else { return }
        let frames: UInt64
        do { frames = try pcm.position() } catch { return }
        let bytes = (framesBeforeStop &+ frames) &* UInt64(params.frameBytes)
        let periods = bytes / periodBytes
        guard periods > reportedPeriods else { return }
        reportedPeriods = periods
        if try events.putPosition(id: nextEventID, position: bytes) {
            nextEventID &+= 1
            positionEventsSent += 1
            try link.notify(eventPort)
        } else {
            positionEventsDropped += 1
        }
    }

    /// Moves more of a waiting READ/WRITE; the response once it is complete.
    func continuePending() -> SndResponse? {
        guard let current = pending, let base = buffer?.address else {
            pending = nil
            return nil
        }
        let address = base + current.offset
        let moved: Int
        do {
            if current.request.operation == SndIfWire.opWrite {
                moved = try pcm.write(UnsafeRawBufferPointer(start: address, count: current.remaining))
            } else {
                moved = try pcm.read(into: UnsafeMutableRawBufferPointer(start: address, count: current.remaining))
            }
        } catch {
            pending = nil
            return SndResponse(id: current.request.id, operation: current.request.operation, status: error.status)
        }
        let step = moved < 0 ? 0 : min(moved, current.remaining)
        if step == current.remaining {
            pending = nil
            return SndResponse(id: current.request.id, operation: current.request.operation, status: 0)
        }
        pending = (current.request, current.offset + step, current.remaining - step)
        return nil
    }
}
