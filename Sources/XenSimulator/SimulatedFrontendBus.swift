// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The xenbus side of a simulated frontend driver (what Linux's xenbus_probe
/// frontend does for a PV driver): its own domain's xenstore connection and
/// event-channel handle, its device directory, the backend's state, and the
/// pages and ports it grants. Protocol frontends (e.g. the vkbd one) build on it.
public final class SimulatedFrontendBus {
    public let simulator: XenSimulator
    public let platform: SimulatedPlatform
    public let frontendPath: String
    public let backendPath: String
    public let backendDomain: DomainID
    public private(set) var pages: [UnsafeMutableRawPointer] = []
    public private(set) var grants: [GrantRef] = []
    public private(set) var ports: [Port] = []
    private var watching = false

    /// Attaches to device `frontendPath` of `domain`, reading `backend` and
    /// `backend-id` the toolstack wrote there.
    public init(simulator: XenSimulator, domain: DomainID, frontendPath: String) throws(XenError) {
        self.simulator = simulator
        self.platform = simulator.platform(for: domain)
        self.frontendPath = frontendPath
        guard let backendPath = try platform.store.read(XenPath.join(frontendPath, "backend")) else {
            throw .frontendNodeMissing(path: XenPath.join(frontendPath, "backend"))
        }
        let idPath = XenPath.join(frontendPath, "backend-id")
        guard let idText = try platform.store.read(idPath), let backendDomain = XenPath.parseDomain(idText) else {
            throw .frontendNodeMissing(path: idPath)
        }
        self.backendPath = backendPath
        self.backendDomain = backendDomain
    }

    deinit { release() }

    public var domain: DomainID { platform.domain }

    /// Watches the backend's state node (fires once at once).
    public func watchBackend() throws(XenError) {
        guard !watching else { return }
        try platform.store.watch(XenPath.join(backendPath, "state"), token: "backend-state")
        watching = true
    }

    /// The backend's state; nil if absent or not a state.
    public func backendState() -> XenbusState? {
        guard let text = try? platform.store.read(XenPath.join(backendPath, "state")) else { return nil }
        return XenbusState(node: text)
    }

    /// Reads a backend node.
    public func readBackend(_ key: String) -> String? { try? platform.store.read(XenPath.join(backendPath, key)) }

    /// Reads a frontend node.
    public func readFrontend(_ key: String) -> String? { try? platform.store.read(XenPath.join(frontendPath, key)) }

    /// Writes a frontend node.
    public func write(_ key: String, _ value: String) throws(XenError) {
        try platform.store.write(XenPath.join(frontendPath, key), value)
    }

    /// Removes a frontend node.
    public func remove(_ key: String) throws(XenError) { try platform.store.remove(XenPath.join(frontendPath, key)) }

    /// Writes the frontend's state node.
    public func setState(_ state: XenbusState) throws(XenError) { try write("state", state.nodeValue) }

    /// A zeroed page of this domain, granted to the backend.
    public func allocateGrantedPage(readOnly: Bool = false) -> (page: UnsafeMutableRawPointer, ref: GrantRef) {
        let page = simulator.allocatePage(owner: domain)
        let ref = simulator.grantAccess(owner: domain, page: page, to: backendDomain, readOnly: readOnly)
        pages.append(page)
        grants.append(ref)
        return (page, ref)
    }

    /// A port the backend may bind.
    public func allocatePort() throws(XenError) -> Port {
        let port = try platform.events.allocateUnbound(remote: backendDomain)
        ports.append(port)
        return port
    }

    /// Notifies the backend.
    public func notify(_ port: Port) throws(XenError) { try platform.events.notify(port) }

    /// The fds a protocol frontend must poll.
    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        descriptors.append(platform.store.watchFD)
        descriptors.append(platform.events.fd)
    }

    /// Drains watch events; true if any arrived.
    public func takeWatchEvents() -> Bool {
        var any = false
        while platform.store.nextWatchEvent() != nil { any = true }
        return any
    }

    /// Drains pending ports, unmasking each.
    public func takePendingPorts() -> [Port] {
        var fired: [Port] = []
        while let port = try? platform.events.pending() {
            try? platform.events.unmask(port)
            fired.append(port)
        }
        return fired
    }

    /// Ends grants, unbinds ports and frees pages (the frontend's teardown).
    /// Grants still mapped by the backend cannot end; their pages stay alive in Xen.
    public func release() {
        for ref in grants { simulator.revokeAccess(owner: domain, ref: ref) }
        for port in ports { try? platform.events.unbind(port) }
        for page in pages { simulator.freePage(page) }
        grants.removeAll()
        ports.removeAll()
        pages.removeAll()
    }
}
