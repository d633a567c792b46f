// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import XenCore

/// A whole simulated Xen host in one process: xenstored (tree, permissions,
/// watches, transactions), the grant tables of every domain backed by real
/// shared pages, and event channels delivered through pipes so `poll` works.
///
/// All state is instance state: tests make one simulator each, get a
/// `SimulatedPlatform` per domain, drive a `PollLoop` until idle, and at the
/// end check `leakReport()` is empty (no grant mapping outlived teardown).
package final class XenSimulator {
    /// Failures to inject into the next calls of an operation.
    package let faults = SimulatedFaults()

    final class StoreConnection {
        let domain: DomainID
        let pipe: SimulatedPipe
        var watches: [(path: String, token: String)] = []
        var queue: [XenStoreWatchEvent] = []
        var queueHead = 0
        init(domain: DomainID) {
            self.domain = domain
            self.pipe = SimulatedPipe()
        }
    }

    struct OpenTransaction {
        let connection: Int
        var tree: StoreTree
        let startGeneration: UInt64
    }

    struct GrantEntry {
        let frame: Int
        let grantee: DomainID
        let readOnly: Bool
        var mapCount: Int
    }

    /// Pages a domain shared (`share(by:to:count:writable:)`), by the owner's mapping address.
    struct SharedRecord {
        let owner: DomainID
        let frames: [Int]
        let refs: [GrantRef]
    }

    struct LiveMapping {
        let mapper: DomainID
        let granter: DomainID
        let refs: [GrantRef]
        let frames: [Int]
    }

    final class EventHandle {
        let domain: DomainID
        let pipe: SimulatedPipe
        var queue: [Port] = []
        init(domain: DomainID) {
            self.domain = domain
            self.pipe = SimulatedPipe()
        }
    }

    /// A port's channel; a class so delivering an event mutates it in place
    /// (one lookup per notify, not a copy written back into nested dictionaries).
    final class Channel {
        let handle: Int
        /// Domain allowed to bind (unbound) or bound (interdomain).
        var remoteDomain: DomainID
        var remotePort: Port?
        var masked = false
        var latched = false
        /// Deliveries left of a notification storm (see `storm`).
        var stormLeft = 0
        init(handle: Int, remoteDomain: DomainID, remotePort: Port?) {
            self.handle = handle
            self.remoteDomain = remoteDomain
            self.remotePort = remotePort
        }
    }

    var tree = StoreTree()
    var storeConnections: [Int: StoreConnection] = [:]
    var transactions: [UInt32: OpenTransaction] = [:]
    var nextID = 1
    let memory = SimulatedMemory()
    var grantTables: [DomainID: [UInt32: GrantEntry]] = [:]
    var nextGrantRef: [DomainID: UInt32] = [:]
    var liveMappings: [UInt: LiveMapping] = [:]
    var ownedPages: [UInt: Int] = [:]
    var sharedPages: [UInt: SharedRecord] = [:]
    var eventHandles: [Int: EventHandle] = [:]
    /// Every port of every domain, keyed by `channelKey` (one hash per lookup).
    var channels: [UInt64: Channel] = [:]
    var nextPort: [DomainID: UInt32] = [:]

    package init() {}

    /// A platform for a process running in `domain`, with its own xenstore
    /// connection and event-channel handle.
    package func platform(for domain: DomainID) -> SimulatedPlatform {
        SimulatedPlatform(simulator: self, domain: domain)
    }

    func allocateID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    // MARK: Pages and grants (the granting side, used by simulated frontends)

    /// A zeroed page of `owner`'s memory, mapped writable for it.
    package func allocatePage(owner: DomainID) -> UnsafeMutableRawPointer {
        let (frame, address) = memory.allocate()
        ownedPages[UInt(bitPattern: address)] = frame
        return address
    }

    /// Releases the owner's mapping of a page from `allocatePage`; the frame
    /// lives on while a backend still maps it (as in Xen).
    package func freePage(_ address: UnsafeMutableRawPointer) {
        guard let frame = ownedPages.removeValue(forKey: UInt(bitPattern: address)) else { return }
        memory.unmapFrames([frame], at: address)
    }

    /// Grants `grantee` access to `page` (`gnttab_grant_foreign_access`).
    package func grantAccess(owner: DomainID, page: UnsafeMutableRawPointer, to grantee: DomainID, readOnly: Bool) -> GrantRef {
        guard let frame = ownedPages[UInt(bitPattern: page)] else { fatalError("grantAccess: not a simulated page") }
        let ref = nextGrantRef[owner] ?? 8
        nextGrantRef[owner] = ref + 1
        grantTables[owner, default: [:]][ref] = GrantEntry(frame: frame, grantee: grantee, readOnly: readOnly, mapCount: 0)
        return GrantRef(ref)
    }

    /// Ends a grant (`gnttab_end_foreign_access_ref`); false while it is mapped.
    @discardableResult
    package func revokeAccess(owner: DomainID, ref: GrantRef) -> Bool {
        guard let entry = grantTables[owner]?[ref.rawValue] else { return true }
        if entry.mapCount > 0 { return false }
        grantTables[owner]?[ref.rawValue] = nil
        return true
    }

    /// Number of grant mappings currently alive (made by any domain).
    package var liveMappingCount: Int { liveMappings.count }

    /// One line per grant mapping still alive; empty when nothing leaked.
    package func leakReport() -> [String] {
        liveMappings.values.map { mapping in
            "domain \(mapping.mapper) still maps grant(s) \(mapping.refs.map { $0.rawValue }) of domain \(mapping.granter)"
        }.sorted()
    }

    func map(by mapper: DomainID, domain: DomainID, refs: [GrantRef], writable: Bool) throws(XenError) -> GrantMapping {
        if let code = faults.take(.grantMap) { throw .grantMapFailed(domain: domain, ref: refs.first ?? GrantRef(0), errno: code) }
        guard !refs.isEmpty, refs.count <= 65_536 else { throw .grantMapFailed(domain: domain, ref: refs.first ?? GrantRef(0), errno: 22) }
        var frames: [Int] = []
        for ref in refs {
            guard let entry = grantTables[domain]?[ref.rawValue], entry.grantee == mapper else {
                throw .grantMapFailed(domain: domain, ref: ref, errno: 22)
            }
            guard !(writable && entry.readOnly) else { throw .grantMapFailed(domain: domain, ref: ref, errno: 1) }
            frames.append(entry.frame)
        }
        guard let address = memory.mapFrames(frames, writable: writable) else {
            throw .grantMapFailed(domain: domain, ref: refs[0], errno: 12)
        }
        for ref in refs { grantTables[domain]?[ref.rawValue]?.mapCount += 1 }
        liveMappings[UInt(bitPattern: address)] = LiveMapping(mapper: mapper, granter: domain, refs: refs, frames: frames)
        return GrantMapping(address: address, domain: domain, refs: refs, writable: writable)
    }

    func unmap(by mapper: DomainID, _ mapping: GrantMapping) throws(XenError) {
        let firstRef = mapping.refs.first ?? GrantRef(0)
        if let code = faults.take(.grantUnmap) { throw .grantUnmapFailed(domain: mapping.domain, ref: firstRef, errno: code) }
        guard let live = liveMappings[UInt(bitPattern: mapping.address)], live.mapper == mapper else {
            throw .grantUnmapFailed(domain: mapping.domain, ref: firstRef, errno: 22)
        }
        liveMappings[UInt(bitPattern: mapping.address)] = nil
        memory.unmapFrames(live.frames, at: mapping.address)
        for ref in live.refs { grantTables[live.granter]?[ref.rawValue]?.mapCount -= 1 }
    }
}
