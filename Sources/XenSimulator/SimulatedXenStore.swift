// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A xenstore connection of one domain to the simulated xenstored.
public final class SimulatedXenStore: XenStore {
    let simulator: XenSimulator
    let id: Int
    public let domain: DomainID

    public init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
        self.id = simulator.openStoreConnection(domain: domain)
        self.watchFD = simulator.watchFD(id)
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
    /// The connection's pipe (fixed for its lifetime, closed at deinit).
    public let watchFD: Int32
    public func nextWatchEvent() -> XenStoreWatchEvent? { simulator.nextWatchEvent(id) }
}
