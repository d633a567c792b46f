// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The backend's connection to one frontend device: its xenstore paths, its
/// xenbus state, and the grant mappings and ports obtained for it (released
/// together by `releaseAll`).
public final class XenbusLink<Platform: XenPlatform> {
    public let platform: Platform
    /// Domain of the frontend.
    public let frontendDomain: DomainID
    /// Device name under `backend/<type>/<domain>/` (the devid, e.g. "0").
    public let deviceName: String
    /// `/local/domain/<backend>/backend/<type>/<frontend>/<devid>`.
    public let backendPath: String
    /// The frontend's device directory, as the toolstack wrote it.
    public let frontendPath: String
    /// The backend state last written.
    public internal(set) var state: XenbusState = .initialising
    /// True once a frontend state node was seen (so its absence means "gone").
    var frontendSeen = false
    public private(set) var mappings: [GrantMapping] = []
    public private(set) var ports: [Port] = []
    public let log: XenLog
    /// The backend process's grant budget, charged for every mapping.
    public let budget: GrantBudget

    init(platform: Platform, frontendDomain: DomainID, deviceName: String,
         backendPath: String, frontendPath: String, log: XenLog, budget: GrantBudget = GrantBudget()) {
        self.platform = platform
        self.budget = budget
        self.frontendDomain = frontendDomain
        self.deviceName = deviceName
        self.backendPath = backendPath
        self.frontendPath = frontendPath
        self.log = log
    }

    /// Reads `<frontendPath>/<key>`; nil if absent.
    public func readFrontend(_ key: String) throws(XenError) -> String? {
        try platform.store.read(XenPath.join(frontendPath, key))
    }

    /// The frontend domain's name (`/local/domain/<id>/name`, written by the
    /// toolstack, not by the guest); nil if absent or unreadable.
    public func frontendDomainName() -> String? {
        guard let name = try? platform.store.read(XenPath.join(XenPath.domain(frontendDomain), "name")), !name.isEmpty else {
            return nil
        }
        return name
    }

    /// Reads a required unsigned decimal frontend node.
    public func requireFrontendUInt32(_ key: String) throws(XenError) -> UInt32 {
        let path = XenPath.join(frontendPath, key)
        guard let text = try platform.store.read(path) else { throw .frontendNodeMissing(path: path) }
        guard let value = XenPath.parseUInt32(text) else { throw .frontendNodeInvalid(path: path, value: text) }
        return value
    }

    /// True if the frontend node `key` holds a non-zero number ("1"); absent or
    /// invalid text counts as 0, as the headers say for feature requests.
    public func frontendFlag(_ key: String) -> Bool {
        guard let text = try? readFrontend(key), let value = XenPath.parseUInt32(text) else { return false }
        return value != 0
    }

    /// Writes `<backendPath>/<key>`.
    public func writeBackend(_ key: String, _ value: String) throws(XenError) {
        try platform.store.write(XenPath.join(backendPath, key), value)
    }

    /// Writes the backend `state` node.
    public func setState(_ newState: XenbusState) throws(XenError) {
        state = newState
        try writeBackend("state", newState.nodeValue)
    }

    /// Maps pages the frontend granted, charged to the grant budget first;
    /// released by `unmap` or `releaseAll`.
    public func map(refs: [GrantRef], writable: Bool) throws(XenError) -> GrantMapping {
        try budget.reserve(refs.count, for: frontendDomain)
        let mapping: GrantMapping
        do { mapping = try platform.grants.map(domain: frontendDomain, refs: refs, writable: writable) } catch {
            budget.release(refs.count, for: frontendDomain)
            throw error
        }
        mappings.append(mapping)
        return mapping
    }

    /// Unmaps one mapping early. It stays tracked until the unmap succeeds,
    /// so one that failed is retried by `releaseAll`.
    public func unmap(_ mapping: GrantMapping) throws(XenError) {
        try platform.grants.unmap(mapping)
        if let index = mappings.firstIndex(of: mapping) {
            mappings.remove(at: index)
            budget.release(mapping.refs.count, for: frontendDomain)
        }
    }

    /// Binds the frontend's port; released by `releaseAll`.
    public func bind(remotePort: Port) throws(XenError) -> Port {
        let port = try platform.events.bindInterdomain(domain: frontendDomain, remotePort: remotePort)
        ports.append(port)
        return port
    }

    /// Signals the frontend on a bound port.
    public func notify(_ port: Port) throws(XenError) { try platform.events.notify(port) }

    /// Unmaps every mapping and unbinds every port; failures are logged, and a
    /// mapping whose unmap failed stays tracked for the next release.
    public func releaseAll() {
        var failed: [GrantMapping] = []
        for mapping in mappings {
            do {
                try platform.grants.unmap(mapping)
                budget.release(mapping.refs.count, for: frontendDomain)
            } catch {
                log.write("xen: \(error.description)")
                failed.append(mapping)
            }
        }
        mappings = failed
        for port in ports {
            do { try platform.events.unbind(port) } catch { log.write("xen: \(error.description)") }
        }
        ports.removeAll()
    }
}
