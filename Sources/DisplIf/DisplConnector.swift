// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One connector of a connected vdispl frontend: its request channel and event
/// page, the configuration SET_CONFIG gave it, and the flips waiting for their
/// XENDISPL_EVT_PG_FLIP.
///
/// Its display state (xen/io/displif.h, SET_CONFIG and PG_FLIP):
///
///     off --SET_CONFIG fb,x,y,w,h,bpp--> on --SET_CONFIG all zeros--> off
///     on --SET_CONFIG fb',...--> on (new mode or framebuffer)
///     on --PG_FLIP fb--> on, and one PG_FLIP event when the sink showed fb
///     off --PG_FLIP--> answered -XEN_EINVAL (no configuration)
///
/// The output runs at the connector's resolution and shows the framebuffer
/// from (x, y), clipped. Frames are copied out of the guest's buffer at SET_CONFIG and PG_FLIP
/// (copy mode), so nothing keeps pointing into guest pages after the request.
public final class DisplConnector {
    public let spec: DisplConnectorSpec
    /// The request ring and its event channel.
    let channel: RequestChannel
    public var requestPort: Port { channel.port }
    public let eventPort: Port
    var events: DisplEventRing
    /// The configuration in effect; nil while the connector is off.
    public internal(set) var config: ConnectorConfig?
    /// Flips the sink has not completed yet, oldest first.
    var waitingFlips: [(ticket: FlipTicket, fbCookie: UInt64)] = []
    var nextEventID: UInt16 = 0
    /// Most flips that may wait for the sink at once (a sink completes them every vertical blank).
    static var waitingLimit: Int { 16 }
    /// Counters for logs and tests.
    public var requestsServed: Int { channel.requestsServed }
    public internal(set) var flipEventsSent = 0
    public internal(set) var flipEventsDropped = 0

    init(spec: DisplConnectorSpec, channel: RequestChannel, events: DisplEventRing, eventPort: Port) {
        self.spec = spec
        self.channel = channel
        self.events = events
        self.eventPort = eventPort
    }

    /// Flips waiting for the sink.
    public var pendingFlips: Int { waitingFlips.count }

    /// Sends the PG_FLIP event of `ticket` if it is one of this connector's;
    /// true if it was.
    func complete<Platform: XenPlatform>(_ ticket: FlipTicket, link: XenbusLink<Platform>) throws(XenError) -> Bool {
        guard let index = waitingFlips.firstIndex(where: { $0.ticket == ticket }) else { return false }
        let flip = waitingFlips.remove(at: index)
        try sendFlipEvent(fbCookie: flip.fbCookie, link: link)
        return true
    }

    func sendFlipEvent<Platform: XenPlatform>(fbCookie: UInt64, link: XenbusLink<Platform>) throws(XenError) {
        if try events.putPageFlip(id: nextEventID, fbCookie: fbCookie) {
            nextEventID &+= 1
            flipEventsSent += 1
            try link.notify(eventPort)
        } else {
            flipEventsDropped += 1
        }
    }
}
