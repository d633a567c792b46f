// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Hands out flip tickets unique within one backend process.
public final class FlipTicketCounter {
    private var next: UInt64 = 1
    public init() {}
    func take() -> FlipTicket {
        defer { next &+= 1 }
        return FlipTicket(rawValue: next)
    }
}

/// The displif backend for one vdispl frontend (one virtual display card,
/// xen/io/displif.h): publishes `versions`; at connect reads `be-alloc` and the
/// connectors `<fe>/<n>` (contiguous from 0: `resolution`, `unique-id`,
/// `req-ring-ref`, `req-event-channel`, `evt-ring-ref`, `evt-event-channel`),
/// maps each connector's request ring and event page and binds both channels.
/// Display buffers and framebuffers belong to the whole card; they are created
/// over connector 0's ring and shown on any connector.
public final class DisplDevice<Platform: XenPlatform, Sink: DisplaySink>: XenDevice {
    public let link: XenbusLink<Platform>
    public let sink: Sink
    public let options: DisplIfOptions
    /// Which guest's connectors are shown on which output (shared by the backend's devices).
    public let table: BindingTable
    let log: XenLog
    let tickets: FlipTicketCounter
    /// Backend-allocated bytes per guest (shared by the backend's devices).
    public let allocations: GuestAllocations
    /// The connected connectors, by index; empty while not connected.
    public private(set) var connectors: [DisplConnector] = []
    /// Live display buffers and framebuffers by cookie.
    public internal(set) var buffers: [UInt64: DisplayBuffer] = [:]
    public internal(set) var framebuffers: [UInt64: Framebuffer] = [:]
    /// Bytes of all live display buffers.
    public internal(set) var mappedBytes = 0
    /// The protocol version the frontend chose (`version`; 2 when it wrote none).
    public private(set) var version: UInt32 = 2
    /// True if backend-allocated buffers were negotiated (`be-alloc` = 1, written
    /// by the toolstack in the backend's directory, or by the frontend in its own).
    public private(set) var backendAllocRequested = false

    public init(link: XenbusLink<Platform>, sink: Sink, options: DisplIfOptions, table: BindingTable,
                tickets: FlipTicketCounter, log: XenLog, allocations: GuestAllocations = GuestAllocations()) {
        self.link = link
        self.sink = sink
        self.options = options
        self.table = table
        self.tickets = tickets
        self.log = log
        self.allocations = allocations
    }

    public var isConnected: Bool { !connectors.isEmpty }

    public func publish(_ link: XenbusLink<Platform>) throws(XenError) {
        try link.writeBackend(DisplIfWire.fieldVersions, DisplIfWire.protocolVersions)
    }

    public func connect(_ link: XenbusLink<Platform>) throws(XenError) {
        let store = link.platform.store
        let backendNode = try? store.read(XenPath.join(link.backendPath, DisplIfWire.fieldBackendAlloc))
        backendAllocRequested = link.frontendFlag(DisplIfWire.fieldBackendAlloc)
            || (backendNode.flatMap { $0 }.flatMap(XenPath.parseUInt32) ?? 0) != 0
        version = 2
        if let text = try link.readFrontend(DisplIfWire.fieldVersion) {
            guard let chosen = XenPath.parseUInt32(text), chosen == 1 || chosen == 2 else {
                throw .frontendNodeInvalid(path: XenPath.join(link.frontendPath, DisplIfWire.fieldVersion), value: text)
            }
            version = chosen
        }
        var indices: [UInt32] = []
        for name in try store.directory(link.frontendPath) {
            if let index = XenPath.parseUInt32(name) { indices.append(index) }
        }
        indices.sort()
        guard !indices.isEmpty else {
            throw .frontendProtocolViolation(domain: link.frontendDomain, reason: "the card declares no connectors")
        }
        guard indices.count <= options.maxConnectors else {
            throw .frontendProtocolViolation(domain: link.frontendDomain,
                                             reason: "\(indices.count) connectors exceed the limit of \(options.maxConnectors)")
        }
        for (position, index) in indices.enumerated() where index != UInt32(position) {
            throw .frontendProtocolViolation(domain: link.frontendDomain, reason: "connector indices are not contiguous from 0")
        }
        guard let guest = link.frontendDomainName() else {
            throw .frontendProtocolViolation(domain: link.frontendDomain,
                                             reason: "the domain has no readable name, so none of its connectors is bound")
        }
        var made: [DisplConnector] = []
        for index in 0..<indices.count { made.append(try makeConnector(index: index, guest: guest)) }
        connectors = made
        releaseBuffers()
        var outputs = ""
        for connector in made {
            outputs += (outputs.isEmpty ? "" : ", ") + XenLog.escaped(connector.spec.uniqueID) + " -> " + connector.spec.output
        }
        log.write("displif: \(link.backendPath): connected \(made.count) connector(s): \(outputs)")
    }

    private func makeConnector(index: Int, guest: String) throws(XenError) -> DisplConnector {
        let path = XenPath.join(link.frontendPath, String(index))
        let store = link.platform.store
        let resolutionPath = XenPath.join(path, DisplIfWire.fieldResolution)
        guard let resolutionText = try store.read(resolutionPath) else { throw .frontendNodeMissing(path: resolutionPath) }
        guard let resolution = DisplConnectorSpec.parseResolution(resolutionText, limit: options.maxDimension) else {
            throw .frontendNodeInvalid(path: resolutionPath, value: resolutionText)
        }
        let uniqueID = try store.read(XenPath.join(path, DisplIfWire.fieldUniqueID)) ?? ""
        guard let output = table.bindings.target(guest: guest, id: uniqueID) else {
            throw .frontendProtocolViolation(
                domain: link.frontendDomain,
                reason: "connector \(index) '\(XenLog.escaped(uniqueID))' of guest '\(guest)' is bound to no output (displif-backend --bind GUEST UNIQUE-ID CONNECTOR); refused")
        }
        func number(_ key: String) throws(XenError) -> UInt32 {
            try link.requireFrontendUInt32(String(index) + "/" + key)
        }
        let channel = try RequestChannel.open(link: link, ringRef: try number(DisplIfWire.fieldRequestRingRef),
                                         remotePort: try number(DisplIfWire.fieldRequestChannel),
                                         requestSize: DisplIfWire.packetSize, responseSize: DisplIfWire.packetSize)
        let eventMapping = try link.map(refs: [GrantRef(try number(DisplIfWire.fieldEventRingRef))], writable: true)
        let eventPort = try link.bind(remotePort: Port(try number(DisplIfWire.fieldEventChannel)))
        let spec = DisplConnectorSpec(index: index, uniqueID: uniqueID, width: resolution.width, height: resolution.height,
                                      output: output)
        return DisplConnector(spec: spec, channel: channel, events: DisplEventRing(page: eventMapping.address),
                              eventPort: eventPort)
    }

    public func handleEvent(_ link: XenbusLink<Platform>, port: Port) throws(XenError) -> Bool {
        var more = false
        for connector in connectors where connector.requestPort == port {
            if try processRequests(connector) { more = true }
        }
        return more
    }

    /// Forgets the frontend's pages (the link unmaps every ring and buffer) and
    /// turns its outputs off.
    public func disconnect(_ link: XenbusLink<Platform>) {
        for connector in connectors where connector.config != nil { sink.disable(output: connector.spec.output) }
        connectors.removeAll()
        releaseBuffers()
    }

    /// Forgets every buffer: mapped ones are unmapped by the link, pages this
    /// backend allocated are unshared here (freed once the frontend unmaps them).
    func releaseBuffers() {
        for cookie in buffers.keys.sorted() {
            guard let buffer = buffers[cookie], case .shared(let pages) = buffer.storage else { continue }
            allocations.remove(buffer.byteCount, for: link.frontendDomain)
            do {
                try link.platform.sharer.unshare(pages)
            } catch {
                log.write("displif: \(link.backendPath): \(error.description)")
            }
        }
        buffers.removeAll()
        framebuffers.removeAll()
        mappedBytes = 0
    }

    /// Sends the PG_FLIP event of a completed flip; true if it was this device's.
    public func flipCompleted(_ ticket: FlipTicket) throws(XenError) -> Bool {
        for connector in connectors {
            if try connector.complete(ticket, link: link) { return true }
        }
        return false
    }
}
