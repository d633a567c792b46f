// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import XenCore
import XenSimulator

/// What Linux's xen-drm-front does on the frontend side of one vdispl card, in
/// the simulation: after the backend's InitWait, per connector a request ring
/// (`req-ring-ref`, `req-event-channel`) and an event page (`evt-ring-ref`,
/// `evt-event-channel`), then Initialised; display buffers shared through page
/// directories; requests sent and responses and PG_FLIP events read back.
package final class SimulatedDisplFrontend {
    package let bus: SimulatedFrontendBus
    package private(set) var connectors: [SimulatedDisplConnector] = []

    /// Attaches to the device directory the toolstack created.
    package init(simulator: XenSimulator, domain: DomainID, frontendPath: String) throws(XenError) {
        bus = try SimulatedFrontendBus(simulator: simulator, domain: domain, frontendPath: frontendPath)
    }

    /// Allocates and publishes `count` connectors' pages and ports, then switches to Initialised.
    package func connect(connectors count: Int) throws(XenError) {
        try bus.watchBackend()
        connectors.removeAll()
        let geometry = try RingGeometry(requestSize: DisplIfWire.packetSize, responseSize: DisplIfWire.packetSize)
        for index in 0..<count {
            let ring = bus.allocateGrantedPage()
            let events = bus.allocateGrantedPage()
            let requestPort = try bus.allocatePort()
            let eventPort = try bus.allocatePort()
            let prefix = String(index) + "/"
            try bus.write(prefix + DisplIfWire.fieldRequestRingRef, ring.ref.description)
            try bus.write(prefix + DisplIfWire.fieldRequestChannel, requestPort.description)
            try bus.write(prefix + DisplIfWire.fieldEventRingRef, events.ref.description)
            try bus.write(prefix + DisplIfWire.fieldEventChannel, eventPort.description)
            connectors.append(SimulatedDisplConnector(bus: bus, ring: FrontRing(initialising: ring.page, geometry: geometry),
                                                      ringPage: ring.page, eventPage: events.page,
                                                      requestPort: requestPort, eventPort: eventPort))
        }
        try bus.setState(.initialised)
    }

    /// Goes Connected, as xen-drm-front does once the backend is.
    package func confirm() throws(XenError) { try bus.setState(.connected) }

    /// Allocates a display buffer of `byteCount` bytes and its page directory.
    package func allocateBuffer(byteCount: Int) -> SimulatedDisplBuffer {
        SimulatedDisplBuffer(SimulatedPageDirectory(bus: bus, byteCount: byteCount), byteCount: byteCount)
    }

    /// The page directory of a `byteCount`-byte buffer the backend is to
    /// allocate: directory pages granted writable, chained, holding no references yet.
    package func allocateBackendBuffer(byteCount: Int) -> SimulatedBackendBuffer {
        let count = max(PageDirectory.directoryPages(bufferPages: PageDirectory.bufferPages(byteCount: byteCount)), 1)
        var directory: [(page: UnsafeMutableRawPointer, ref: GrantRef)] = []
        for _ in 0..<count { directory.append(bus.allocateGrantedPage(readOnly: false)) }
        for (index, entry) in directory.enumerated() {
            let next = index + 1 < directory.count ? directory[index + 1].ref.rawValue : 0
            entry.page.storeBytes(of: next.littleEndian, as: UInt32.self)  // gref_dir_next_page
        }
        return SimulatedBackendBuffer(directory: directory[0].ref, directoryPages: directory.map { $0.page }, byteCount: byteCount)
    }

    /// Maps the pages the backend granted for `buffer`, writable, as xen-drm-front does.
    package func mapBackendBuffer(_ buffer: SimulatedBackendBuffer) throws(XenError) -> GrantMapping {
        try bus.platform.grants.map(domain: bus.backendDomain, refs: buffer.refs(), writable: true)
    }

    /// Unmaps a mapping of `mapBackendBuffer`.
    package func unmapBackendBuffer(_ mapping: GrantMapping) throws(XenError) { try bus.platform.grants.unmap(mapping) }

    /// Closes like a frontend being unloaded.
    package func disconnect() throws(XenError) { try bus.setState(.closed) }

    /// Frees pages, grants and ports (after the backend has let go).
    package func release() {
        connectors.removeAll()
        bus.release()
    }
}
