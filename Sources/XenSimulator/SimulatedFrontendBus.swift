// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The xenbus side of a simulated frontend driver (what Linux's xenbus_probe
/// frontend does for a PV driver): its own domain's xenstore connection and
/// event-channel handle, its device directory, the backend's state, and the
/// pages and ports it grants. Protocol frontends (e.g. the vkbd one) build on it.
package final class SimulatedFrontendBus {
    package let simulator: XenSimulator
    package let platform: SimulatedPlatform
    package let frontendPath: String
    package let backendPath: String
    package let backendDomain: DomainID
    package private(set) var pages: [UnsafeMutableRawPointer] = []
    package private(set) var grants: [GrantRef] = []
    package private(set) var ports: [Port] = []
    private var watching = false

    /// Attaches to device `frontendPath` of `domain`, reading `backend` and
    /// `backend-id` the toolstack wrote there.
    package init(simulator: XenSimulator, domain: DomainID, frontendPath: String) throws(XenError) {
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

    package var domain: DomainID { platform.domain }

    /// Watches the backend's state node (fires once at once).
    package func watchBackend() throws(XenError) {
        guard !watching else { return }
        try platform.store.watch(XenPath.join(backendPath, "state"), token: "backend-state")
        watching = true
    }

    /// The backend's state; nil if absent or not a state.
    package func backendState() -> XenbusState? {
        guard let text = try? platform.store.read(XenPath.join(backendPath, "state")) else { return nil }
        return XenbusState(node: text)
    }

    /// Reads a backend node.
    package func readBackend(_ key: String) -> String? { try? platform.store.read(XenPath.join(backendPath, key)) }

    /// Reads a frontend node.
    package func readFrontend(_ key: String) -> String? { try? platform.store.read(XenPath.join(frontendPath, key)) }

    /// Writes a frontend node.
    package func write(_ key: String, _ value: String) throws(XenError) {
        try platform.store.write(XenPath.join(frontendPath, key), value)
    }

    /// Removes a frontend node.
    package func remove(_ key: String) throws(XenError) { try platform.store.remove(XenPath.join(frontendPath, key)) }

    /// Writes the frontend's state node.
    package func setState(_ state: XenbusState) throws(XenError) { try write("state", state.nodeValue) }

    /// A zeroed page of this domain, granted to the backend.
    package func allocateGrantedPage(readOnly: Bool = false) -> (page: UnsafeMutableRawPointer, ref: GrantRef) {
        let page = simulator.allocatePage(owner: domain)
        let ref = simulator.grantAccess(owner: domain, page: page, to: backendDomain, readOnly: readOnly)
        pages.append(page)
        grants.append(ref)
        return (page, ref)
    }

    /// A port the backend may bind.
    package func allocatePort() throws(XenError) -> Port {
        let port = try platform.events.allocateUnbound(remote: backendDomain)
        ports.append(port)
        return port
    }

    /// Notifies the backend.
    package func notify(_ port: Port) throws(XenError) { try platform.events.notify(port) }

    /// The fds a protocol frontend must poll.
    package func appendPollDescriptors(to descriptors: inout [Int32]) {
        descriptors.append(platform.store.watchFD)
        descriptors.append(platform.events.fd)
    }

    /// Drains watch events; true if any arrived.
    package func takeWatchEvents() -> Bool {
        var any = false
        while platform.store.nextWatchEvent() != nil { any = true }
        return any
    }

    /// Drains pending ports, unmasking each.
    package func takePendingPorts() -> [Port] {
        var fired: [Port] = []
        while let port = try? platform.events.pending() {
            try? platform.events.unmask(port)
            fired.append(port)
        }
        return fired
    }

    /// Ends grants, unbinds ports and frees pages (the frontend's teardown).
    /// Grants still mapped by the backend cannot end; their pages stay alive in Xen.
    package func release() {
        for ref in grants { simulator.revokeAccess(owner: domain, ref: ref) }
        for port in ports { try? platform.events.unbind(port) }
        for page in pages { simulator.freePage(page) }
        grants.removeAll()
        ports.removeAll()
        pages.removeAll()
    }
}
