// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One entry of a xenstore node's permission list (`struct xs_permissions`).
/// The first entry names the owner and the access every other domain gets.
public struct XenStorePermission: Equatable, Sendable {
    public struct Access: OptionSet, Equatable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let read = Access(rawValue: 1)
        public static let write = Access(rawValue: 2)
        public static let none: Access = []
        public static let both: Access = [.read, .write]
    }
    public var domain: DomainID
    public var access: Access
    public init(domain: DomainID, access: Access) {
        self.domain = domain
        self.access = access
    }
}

/// A xenstore transaction id; `.none` runs an operation on its own.
public struct XenTransaction: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let none = XenTransaction(rawValue: 0)
}

/// A fired watch: the path that changed and the token given to `watch`.
public struct XenStoreWatchEvent: Equatable, Sendable {
    public var path: String
    public var token: String
    public init(path: String, token: String) {
        self.path = path
        self.token = token
    }
}

/// A connection to xenstore (libxenstore's `xs_*` calls).
///
/// Watches fire asynchronously: `watchFD` becomes readable and
/// `nextWatchEvent()` returns the queued events one by one. As with xenstored,
/// registering a watch fires it once immediately.
public protocol XenStore: AnyObject {
    /// Reads a node; nil if it does not exist (ENOENT).
    func read(_ path: String, transaction: XenTransaction) throws(XenError) -> String?
    /// Writes a node, creating it and missing parents.
    func write(_ path: String, _ value: String, transaction: XenTransaction) throws(XenError)
    /// Creates an empty node (and parents).
    func mkdir(_ path: String, transaction: XenTransaction) throws(XenError)
    /// Removes a node and everything below it; removing a missing node succeeds.
    func remove(_ path: String, transaction: XenTransaction) throws(XenError)
    /// Names of the children of a node; empty if it does not exist.
    func directory(_ path: String, transaction: XenTransaction) throws(XenError) -> [String]
    /// Replaces a node's permission list (first entry: owner and default access).
    func setPermissions(_ path: String, _ permissions: [XenStorePermission], transaction: XenTransaction) throws(XenError)
    /// Starts a transaction.
    func startTransaction() throws(XenError) -> XenTransaction
    /// Ends a transaction; returns false if it conflicted (EAGAIN) and must be retried.
    func endTransaction(_ transaction: XenTransaction, commit: Bool) throws(XenError) -> Bool
    /// Watches `path` and everything below it.
    func watch(_ path: String, token: String) throws(XenError)
    /// Removes a watch.
    func unwatch(_ path: String, token: String) throws(XenError)
    /// Readable when a watch event is queued.
    var watchFD: Int32 { get }
    /// The next queued watch event, without blocking; nil if none.
    func nextWatchEvent() -> XenStoreWatchEvent?
}

extension XenStore {
    /// Reads a node outside any transaction.
    public func read(_ path: String) throws(XenError) -> String? { try read(path, transaction: .none) }
    /// Writes a node outside any transaction.
    public func write(_ path: String, _ value: String) throws(XenError) { try write(path, value, transaction: .none) }
    /// Creates a node outside any transaction.
    public func mkdir(_ path: String) throws(XenError) { try mkdir(path, transaction: .none) }
    /// Removes a node outside any transaction.
    public func remove(_ path: String) throws(XenError) { try remove(path, transaction: .none) }
    /// Lists a directory outside any transaction.
    public func directory(_ path: String) throws(XenError) -> [String] { try directory(path, transaction: .none) }
    /// Sets permissions outside any transaction.
    public func setPermissions(_ path: String, _ permissions: [XenStorePermission]) throws(XenError) {
        try setPermissions(path, permissions, transaction: .none)
    }

    /// Runs `body` in a transaction, retrying (at most `attempts` times) while it conflicts.
    /// Returns false if every attempt conflicted.
    public func inTransaction(attempts: Int = 8, _ body: (XenTransaction) throws(XenError) -> Void) throws(XenError) -> Bool {
        for _ in 0..<attempts {
            let transaction = try startTransaction()
            do {
                try body(transaction)
            } catch {
                _ = try? endTransaction(transaction, commit: false)
                throw error
            }
            if try endTransaction(transaction, commit: true) { return true }
        }
        return false
    }
}
