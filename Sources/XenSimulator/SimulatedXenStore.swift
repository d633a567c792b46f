// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A xenstore connection of one domain to the simulated xenstored.
package final class SimulatedXenStore: XenStore {
    let simulator: XenSimulator
    let id: Int
    package let domain: DomainID

    package init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
        self.id = simulator.openStoreConnection(domain: domain)
        self.watchFD = simulator.watchFD(id)
    }

    deinit { simulator.closeStoreConnection(id) }

    package func read(_ path: String, transaction: XenTransaction) throws(XenError) -> String? {
        try simulator.storeRead(id, path, transaction)
    }
    package func write(_ path: String, _ value: String, transaction: XenTransaction) throws(XenError) {
        try simulator.storeWrite(id, path, value, transaction)
    }
    package func mkdir(_ path: String, transaction: XenTransaction) throws(XenError) {
        try simulator.storeWrite(id, path, nil, transaction)
    }
    package func remove(_ path: String, transaction: XenTransaction) throws(XenError) {
        try simulator.storeRemove(id, path, transaction)
    }
    package func directory(_ path: String, transaction: XenTransaction) throws(XenError) -> [String] {
        try simulator.storeDirectory(id, path, transaction)
    }
    package func setPermissions(_ path: String, _ permissions: [XenStorePermission], transaction: XenTransaction) throws(XenError) {
        try simulator.storeSetPermissions(id, path, permissions, transaction)
    }
    package func startTransaction() throws(XenError) -> XenTransaction { try simulator.startTransaction(id) }
    package func endTransaction(_ transaction: XenTransaction, commit: Bool) throws(XenError) -> Bool {
        try simulator.endTransaction(id, transaction, commit: commit)
    }
    package func watch(_ path: String, token: String) throws(XenError) { try simulator.storeWatch(id, path, token) }
    package func unwatch(_ path: String, token: String) throws(XenError) { try simulator.storeUnwatch(id, path, token) }
    /// The connection's pipe (fixed for its lifetime, closed at deinit).
    package let watchFD: Int32
    package func nextWatchEvent() -> XenStoreWatchEvent? { simulator.nextWatchEvent(id) }
}
