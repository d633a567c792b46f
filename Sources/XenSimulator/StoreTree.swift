// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The in-memory xenstore tree with xenstored's permission rules: dom0 may do
/// anything; others need read access to read or list and write access to write,
/// create below, or remove. A new node inherits its parent's permissions, owned
/// by its creator. A value type, so a transaction works on a copy.
struct StoreTree {
    struct Node {
        var value: String
        var permissions: [XenStorePermission]
        var children: [String]
    }

    static let eacces: Int32 = 13, enoent: Int32 = 2, einval: Int32 = 22

    private(set) var nodes: [String: Node] = [
        "/": Node(value: "", permissions: [XenStorePermission(domain: .dom0, access: .none)], children: []),
    ]
    /// Bumped by every change, to detect transaction conflicts.
    private(set) var generation: UInt64 = 0
    /// Paths changed since the last `takeChanges` (for watches).
    private(set) var changes: [(path: String, removed: Bool)] = []

    mutating func takeChanges() -> [(path: String, removed: Bool)] {
        let taken = changes
        changes.removeAll()
        return taken
    }

    private func normalise(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return nil }
        if path == "/" { return path }
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        var previous: UInt8 = 0
        for byte in trimmed.utf8 {
            if byte == 47 && previous == 47 { return nil }
            previous = byte
        }
        return trimmed
    }

    private func access(_ domain: DomainID, _ node: Node) -> XenStorePermission.Access {
        if domain == .dom0 { return .both }
        guard let owner = node.permissions.first else { return .none }
        if owner.domain == domain { return .both }
        for entry in node.permissions.dropFirst() where entry.domain == domain { return entry.access }
        return owner.access
    }

    func read(_ path: String, by domain: DomainID) -> Result<String?, SimulatedErrno> {
        guard let path = normalise(path) else { return .failure(SimulatedErrno(StoreTree.einval)) }
        guard let node = nodes[path] else { return .success(nil) }
        guard access(domain, node).contains(.read) else { return .failure(SimulatedErrno(StoreTree.eacces)) }
        return .success(node.value)
    }

    func directory(_ path: String, by domain: DomainID) -> Result<[String], SimulatedErrno> {
        guard let path = normalise(path) else { return .failure(SimulatedErrno(StoreTree.einval)) }
        guard let node = nodes[path] else { return .success([]) }
        guard access(domain, node).contains(.read) else { return .failure(SimulatedErrno(StoreTree.eacces)) }
        return .success(node.children)
    }

    func permissions(_ path: String) -> [XenStorePermission]? { nodes[path]?.permissions }

    /// Writes (or with `value == nil`, creates empty if missing) a node.
    mutating func write(_ path: String, _ value: String?, by domain: DomainID) -> SimulatedErrno? {
        guard let path = normalise(path), path != "/" else { return SimulatedErrno(StoreTree.einval) }
        if var node = nodes[path] {
            guard access(domain, node).contains(.write) else { return SimulatedErrno(StoreTree.eacces) }
            if let value { node.value = value }
            nodes[path] = node
            record(path, removed: false)
            return nil
        }
        var missing: [String] = [path]
        var ancestor = XenPath.parent(path)
        while nodes[ancestor] == nil { missing.append(ancestor); ancestor = XenPath.parent(ancestor) }
        guard let existing = nodes[ancestor], access(domain, existing).contains(.write) else {
            return SimulatedErrno(StoreTree.eacces)
        }
        var inherited = existing.permissions
        if domain != .dom0, !inherited.isEmpty { inherited[0].domain = domain }
        for created in missing.reversed() {
            let parent = XenPath.parent(created)
            nodes[parent]?.children.append(XenPath.lastComponent(created))
            nodes[created] = Node(value: created == path ? (value ?? "") : "", permissions: inherited, children: [])
        }
        record(path, removed: false)
        return nil
    }

    mutating func remove(_ path: String, by domain: DomainID) -> SimulatedErrno? {
        guard let path = normalise(path), path != "/" else { return SimulatedErrno(StoreTree.einval) }
        guard let node = nodes[path] else { return nil }
        guard access(domain, node).contains(.write) else { return SimulatedErrno(StoreTree.eacces) }
        removeSubtree(path)
        let parent = XenPath.parent(path), name = XenPath.lastComponent(path)
        nodes[parent]?.children.removeAll { $0 == name }
        record(path, removed: true)
        return nil
    }

    private mutating func removeSubtree(_ path: String) {
        guard let node = nodes.removeValue(forKey: path) else { return }
        for child in node.children { removeSubtree(XenPath.join(path, child)) }
    }

    mutating func setPermissions(_ path: String, _ permissions: [XenStorePermission], by domain: DomainID) -> SimulatedErrno? {
        guard let path = normalise(path), !permissions.isEmpty else { return SimulatedErrno(StoreTree.einval) }
        guard var node = nodes[path] else { return SimulatedErrno(StoreTree.enoent) }
        guard domain == .dom0 || node.permissions.first?.domain == domain else { return SimulatedErrno(StoreTree.eacces) }
        node.permissions = permissions
        nodes[path] = node
        record(path, removed: false)
        return nil
    }

    private mutating func record(_ path: String, removed: Bool) {
        generation &+= 1
        changes.append((path, removed))
    }
}

/// An errno value as an `Error`, for `Result` inside the simulator.
struct SimulatedErrno: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}
