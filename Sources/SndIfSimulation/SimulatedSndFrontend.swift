// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import XenCore
import XenSimulator

/// What Linux's snd_xen_front does on the frontend side of one vsnd card, in
/// the simulation: per stream a request ring (`ring-ref`, `event-channel`) and
/// an event page (`evt-ring-ref`, `evt-event-channel`), shared buffers
/// described by page directories, requests sent and responses and
/// XENSND_EVT_CUR_POS events read back.
package final class SimulatedSndFrontend {
    package let bus: SimulatedFrontendBus
    package private(set) var streams: [SimulatedSndStream] = []

    /// Attaches to the device directory the toolstack created.
    package init(simulator: XenSimulator, domain: DomainID, frontendPath: String) throws(XenError) {
        bus = try SimulatedFrontendBus(simulator: simulator, domain: domain, frontendPath: frontendPath)
    }

    /// Allocates every stream's pages and ports for the streams found under
    /// `pcms` (pcm index → stream indices), publishes them, and switches to Initialised.
    package func connect(pcms: [[UInt32]]) throws(XenError) {
        try bus.watchBackend()
        streams.removeAll()
        let geometry = try RingGeometry(requestSize: SndIfWire.packetSize, responseSize: SndIfWire.packetSize)
        for (pcmIndex, indices) in pcms.enumerated() {
            for streamIndex in indices {
                let ring = bus.allocateGrantedPage()
                let events = bus.allocateGrantedPage()
                let requestPort = try bus.allocatePort()
                let eventPort = try bus.allocatePort()
                let prefix = String(pcmIndex) + "/" + String(streamIndex) + "/"
                try bus.write(prefix + SndIfWire.fieldRingRef, ring.ref.description)
                try bus.write(prefix + SndIfWire.fieldEventChannel, requestPort.description)
                try bus.write(prefix + SndIfWire.fieldEventRingRef, events.ref.description)
                try bus.write(prefix + SndIfWire.fieldEventEventChannel, eventPort.description)
                streams.append(SimulatedSndStream(bus: bus, ring: FrontRing(initialising: ring.page, geometry: geometry),
                                                  ringPage: ring.page, eventPage: events.page,
                                                  requestPort: requestPort, eventPort: eventPort))
            }
        }
        try bus.setState(.initialised)
    }

    /// Closes like a frontend being unloaded: state Closed, then pages and grants released.
    package func disconnect() throws(XenError) {
        try bus.setState(.closed)
    }

    /// Frees pages, grants and ports (after the backend has let go).
    package func release() {
        streams.removeAll()
        bus.release()
    }
}
