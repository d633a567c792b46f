// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

extension XenSimulator {
    func openStoreConnection(domain: DomainID) -> Int {
        let id = allocateID()
        storeConnections[id] = StoreConnection(domain: domain)
        return id
    }

    func closeStoreConnection(_ id: Int) {
        storeConnections[id] = nil
        for (key, transaction) in transactions where transaction.connection == id { transactions[key] = nil }
    }

    func watchFD(_ id: Int) -> Int32 { storeConnections[id]?.pipe.readFD ?? -1 }

    func nextWatchEvent(_ id: Int) -> XenStoreWatchEvent? {
        guard let connection = storeConnections[id], connection.queueHead < connection.queue.count else { return nil }
        let event = connection.queue[connection.queueHead]
        connection.queueHead += 1
        if connection.queueHead == connection.queue.count {
            connection.queue.removeAll(keepingCapacity: true)
            connection.queueHead = 0
            connection.pipe.setReady(false)
        }
        return event
    }

    private func domainOf(_ id: Int) -> DomainID { storeConnections[id]?.domain ?? .dom0 }

    private func fail(_ operation: SimulatedOperation) -> Int32? { faults.take(operation) }

    func storeRead(_ id: Int, _ path: String, _ transaction: XenTransaction) throws(XenError) -> String? {
        if let code = fail(.storeRead) { throw .storeReadFailed(path: path, errno: code) }
        let result = try withTree(id, transaction) { (tree: inout StoreTree) in tree.read(path, by: domainOf(id)) }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw .storeReadFailed(path: path, errno: error.code)
        }
    }

    func storeDirectory(_ id: Int, _ path: String, _ transaction: XenTransaction) throws(XenError) -> [String] {
        if let code = fail(.storeDirectory) { throw .storeDirectoryFailed(path: path, errno: code) }
        let result = try withTree(id, transaction) { (tree: inout StoreTree) in tree.directory(path, by: domainOf(id)) }
        switch result {
        case .success(let names): return names
        case .failure(let error): throw .storeDirectoryFailed(path: path, errno: error.code)
        }
    }

    func storeWrite(_ id: Int, _ path: String, _ value: String?, _ transaction: XenTransaction) throws(XenError) {
        let operation: SimulatedOperation = value == nil ? .storeMkdir : .storeWrite
        if let code = fail(operation) {
            throw value == nil ? .storeMkdirFailed(path: path, errno: code) : .storeWriteFailed(path: path, errno: code)
        }
        let error = try withTree(id, transaction) { (tree: inout StoreTree) in tree.write(path, value, by: domainOf(id)) }
        if let error {
            throw value == nil ? .storeMkdirFailed(path: path, errno: error.code) : .storeWriteFailed(path: path, errno: error.code)
        }
        if transaction == .none { fireWatches() }
    }

    func storeRemove(_ id: Int, _ path: String, _ transaction: XenTransaction) throws(XenError) {
        if let code = fail(.storeRemove) { throw .storeRemoveFailed(path: path, errno: code) }
        let error = try withTree(id, transaction) { (tree: inout StoreTree) in tree.remove(path, by: domainOf(id)) }
        if let error { throw .storeRemoveFailed(path: path, errno: error.code) }
        if transaction == .none { fireWatches() }
    }

    func storeSetPermissions(_ id: Int, _ path: String, _ permissions: [XenStorePermission],
                             _ transaction: XenTransaction) throws(XenError) {
        if let code = fail(.storePermissions) { throw .storePermissionsFailed(path: path, errno: code) }
        let error = try withTree(id, transaction) { (tree: inout StoreTree) in
            tree.setPermissions(path, permissions, by: domainOf(id))
        }
        if let error { throw .storePermissionsFailed(path: path, errno: error.code) }
        if transaction == .none { fireWatches() }
    }

    /// Permissions of a node, as the toolstack would see them (tests).
    package func permissions(of path: String) -> [XenStorePermission]? { tree.permissions(path) }

    func startTransaction(_ id: Int) throws(XenError) -> XenTransaction {
        if let code = fail(.transactionStart) { throw .storeTransactionFailed(errno: code) }
        let number = UInt32(allocateID())
        transactions[number] = OpenTransaction(connection: id, tree: tree, startGeneration: tree.generation)
        return XenTransaction(rawValue: number)
    }

    func endTransaction(_ id: Int, _ transaction: XenTransaction, commit: Bool) throws(XenError) -> Bool {
        if let code = fail(.transactionEnd) { throw .storeTransactionFailed(errno: code) }
        guard let open = transactions.removeValue(forKey: transaction.rawValue), open.connection == id else {
            throw .storeTransactionFailed(errno: 22)
        }
        guard commit else { return true }
        guard open.startGeneration == tree.generation else { return false }  // EAGAIN: someone wrote meanwhile
        var committed = open.tree
        let changes = committed.takeChanges()
        tree = committed
        deliver(changes)
        return true
    }

    private func withTree<R>(_ id: Int, _ transaction: XenTransaction,
                             _ body: (inout StoreTree) -> R) throws(XenError) -> R {
        if transaction == .none { return body(&tree) }
        guard var open = transactions[transaction.rawValue], open.connection == id else {
            throw .storeTransactionFailed(errno: 22)
        }
        let result = body(&open.tree)
        transactions[transaction.rawValue] = open
        return result
    }

    func storeWatch(_ id: Int, _ path: String, _ token: String) throws(XenError) {
        if let code = fail(.watch) { throw .storeWatchFailed(path: path, token: token, errno: code) }
        guard let connection = storeConnections[id] else { throw .storeWatchFailed(path: path, token: token, errno: 22) }
        connection.watches.append((path, token))
        enqueue(connection, XenStoreWatchEvent(path: path, token: token))  // xenstored fires a new watch once
    }

    func storeUnwatch(_ id: Int, _ path: String, _ token: String) throws(XenError) {
        if let code = fail(.unwatch) { throw .storeWatchFailed(path: path, token: token, errno: code) }
        guard let connection = storeConnections[id],
              let index = connection.watches.firstIndex(where: { $0.path == path && $0.token == token }) else {
            throw .storeWatchFailed(path: path, token: token, errno: 2)
        }
        connection.watches.remove(at: index)
    }

    func fireWatches() { deliver(tree.takeChanges()) }

    private func deliver(_ changes: [(path: String, removed: Bool)]) {
        for change in changes {
            for id in storeConnections.keys.sorted() {
                guard let connection = storeConnections[id] else { continue }
                for watch in connection.watches {
                    if XenPath.isWithin(change.path, watch.path) {
                        enqueue(connection, XenStoreWatchEvent(path: change.path, token: watch.token))
                    } else if change.removed, XenPath.isWithin(watch.path, change.path) {
                        enqueue(connection, XenStoreWatchEvent(path: watch.path, token: watch.token))
                    }
                }
            }
        }
    }

    private func enqueue(_ connection: StoreConnection, _ event: XenStoreWatchEvent) {
        connection.queue.append(event)
        connection.pipe.setReady(true)
    }
}
