// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The simulated platform of one process in one domain.
public final class SimulatedPlatform: XenPlatform {
    public let simulator: XenSimulator
    public let domain: DomainID
    public let store: SimulatedXenStore
    public let grants: SimulatedGrantMapper
    public let events: SimulatedEventChannels

    public init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
        self.store = SimulatedXenStore(simulator: simulator, domain: domain)
        self.grants = SimulatedGrantMapper(simulator: simulator, domain: domain)
        self.events = SimulatedEventChannels(simulator: simulator, domain: domain)
    }
}

/// A xenstore connection of one domain to the simulated xenstored.
public final class SimulatedXenStore: XenStore {
    let simulator: XenSimulator
    let id: Int
    public let domain: DomainID

    public init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
        self.id = simulator.openStoreConnection(domain: domain)
    }

    deinit { simulator.closeStoreConnection(id) }

    public func read(_ path: String, transaction: XenTransaction) throws(XenError) -> String? {
        try simulator.storeRead(id, path, transaction)
    }
    public func write(_ path: String, _ value: String, transaction: XenTransaction) throws(XenError) {
        try simulator.storeWrite(id, path, value, transaction)
    }
    public func mkdir(_ path: String, transaction: XenTransaction) throws(XenError) {
        try simulator.storeWrite(id, path, nil, transaction)
    }
    public func remove(_ path: String, transaction: XenTransaction) throws(XenError) {
        try simulator.storeRemove(id, path, transaction)
    }
    public func directory(_ path: String, transaction: XenTransaction) throws(XenError) -> [String] {
        try simulator.storeDirectory(id, path, transaction)
    }
    public func setPermissions(_ path: String, _ permissions: [XenStorePermission], transaction: XenTransaction) throws(XenError) {
        try simulator.storeSetPermissions(id, path, permissions, transaction)
    }
    public func startTransaction() throws(XenError) -> XenTransaction { try simulator.startTransaction(id) }
    public func endTransaction(_ transaction: XenTransaction, commit: Bool) throws(XenError) -> Bool {
        try simulator.endTransaction(id, transaction, commit: commit)
    }
    public func watch(_ path: String, token: String) throws(XenError) { try simulator.storeWatch(id, path, token) }
    public func unwatch(_ path: String, token: String) throws(XenError) { try simulator.storeUnwatch(id, path, token) }
    public var watchFD: Int32 { simulator.watchFD(id) }
    public func nextWatchEvent() -> XenStoreWatchEvent? { simulator.nextWatchEvent(id) }
}

/// Grant mapping by one domain in the simulation: real shared pages, checked
/// against the granting domain's grant table.
public final class SimulatedGrantMapper: GrantMapper {
    let simulator: XenSimulator
    public let domain: DomainID

    public init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
    }

    public func map(domain granter: DomainID, refs: [GrantRef], writable: Bool) throws(XenError) -> GrantMapping {
        try simulator.map(by: domain, domain: granter, refs: refs, writable: writable)
    }
    public func unmap(_ mapping: GrantMapping) throws(XenError) { try simulator.unmap(by: domain, mapping) }
}

/// An event-channel handle of one domain in the simulation; its fd is a pipe
/// readable while a port is pending.
public final class SimulatedEventChannels: EventChannels {
    let simulator: XenSimulator
    let id: Int
    public let domain: DomainID

    public init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
        self.id = simulator.openEventHandle(domain: domain)
    }

    deinit { simulator.closeEventHandle(id) }

    public var fd: Int32 { simulator.eventFD(id) }
    /// Allocates a port `remote` may bind (`xenevtchn_bind_unbound_port`), as frontends do.
    public func allocateUnbound(remote: DomainID) throws(XenError) -> Port { try simulator.allocateUnbound(id, remote: remote) }
    public func bindInterdomain(domain remote: DomainID, remotePort: Port) throws(XenError) -> Port {
        try simulator.bindInterdomain(id, domain: remote, remotePort: remotePort)
    }
    public func notify(_ port: Port) throws(XenError) { try simulator.notify(id, port) }
    public func unbind(_ port: Port) throws(XenError) { try simulator.unbind(id, port) }
    public func pending() throws(XenError) -> Port? { try simulator.pending(id) }
    public func unmask(_ port: Port) throws(XenError) { try simulator.unmask(id, port) }
}
