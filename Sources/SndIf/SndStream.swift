// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One sndif stream of a connected frontend: its request channel and event page,
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
    /// The request ring and its event channel.
    let channel: RequestChannel
    /// Local port of the request ring's event channel, and of the event page's.
    public var requestPort: Port { channel.port }
    public let eventPort: Port
    var events: SndEventRing
    var buffer: GrantMapping?
    var periodBytes: UInt64 = 0
    var reportedPeriods: UInt64 = 0
    /// Frames processed before the last stop (the device counts from 0 again after it).
    var framesBeforeStop: UInt64 = 0
    var nextEventID: UInt16 = 0
    /// A READ or WRITE waiting for the device: the request and what is left of its range.
    var pending: (request: SndRequest, offset: Int, remaining: Int)?
    /// Counters for logs and tests.
    public var requestsServed: Int { channel.requestsServed }
    public private(set) var positionEventsSent = 0
    public private(set) var positionEventsDropped = 0

    init(config: SndStreamConfig, pcm: PCM, channel: RequestChannel, events: SndEventRing, eventPort: Port) {
        self.config = config
        self.pcm = pcm
        self.channel = channel
        self.events = events
        self.eventPort = eventPort
    }

    /// Bytes of the mapped shared buffer (0 while closed).
    public var bufferBytes: Int { buffer == nil ? 0 : Int(openBufferBytes) }
    var openBufferBytes: UInt32 = 0

    /// Serves one budget of requests, stopping early when the ring is empty
    /// or a READ/WRITE waits for the device, then sends a due position event.
    /// Returns true if requests are left (the backend gives the stream another
    /// turn). Throws (closing the frontend) only for ring overruns and
    /// event-channel failures.
    func processRequests<Platform: XenPlatform>(_ link: XenbusLink<Platform>) throws(XenError) -> Bool {
        var more = false
        if pending == nil {
            more = try channel.serve { bytes, response in
                guard let answer = handle(SndRequest(decoding: bytes), link: link) else { return .hold }
                answer.encode(into: response)
                return pending == nil ? .respond : .hold
            }
        }
        try reportPosition(link)
        return more && pending == nil
    }

    /// The device's fd was readable: finish a waiting READ/WRITE, serve the
    /// requests behind it, and send position events. True if requests are left.
    func service<Platform: XenPlatform>(_ link: XenbusLink<Platform>) throws(XenError) -> Bool {
        pcm.service()
        if pending != nil {
            guard let response = continuePending() else {
                try reportPosition(link)
                return false
            }
            try channel.respond { response.encode(into: $0) }
        }
        return try processRequests(link)
    }

    /// Forgets the frontend's pages and closes the device (the link unmaps).
    func disconnect() {
        if state != .closed { pcm.close() }
        state = .closed
        params = nil
        buffer = nil
        pending = nil
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
