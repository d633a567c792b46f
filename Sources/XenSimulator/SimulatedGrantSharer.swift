// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Pages one domain of the simulation allocates and grants to another
/// (gntalloc): real shared pages, entered in the owner's grant table.
package final class SimulatedGrantSharer: GrantSharer {
    let simulator: XenSimulator
    package let domain: DomainID

    package init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
    }

    package func share(domain grantee: DomainID, count: Int, writable: Bool) throws(XenError) -> SharedPages {
        try simulator.share(by: domain, to: grantee, count: count, writable: writable)
    }

    package func unshare(_ pages: SharedPages) throws(XenError) { try simulator.unshare(by: domain, pages) }
}

extension XenSimulator {
    /// `count` zeroed pages of `owner`, granted to `grantee` and mapped contiguously for `owner`.
    func share(by owner: DomainID, to grantee: DomainID, count: Int, writable: Bool) throws(XenError) -> SharedPages {
        if let code = faults.take(.grantShare) { throw .grantShareFailed(domain: grantee, count: count, errno: code) }
        guard count > 0, count <= 65_536 else { throw .grantShareFailed(domain: grantee, count: count, errno: 22) }
        var frames: [Int] = []
        var singles: [UnsafeMutableRawPointer] = []
        for _ in 0..<count {
            let (frame, single) = memory.allocate()
            frames.append(frame)
            singles.append(single)
        }
        // One contiguous mapping for the owner, as gntalloc gives; the per-page ones go.
        let address = memory.mapFrames(frames, writable: true)
        for (frame, single) in zip(frames, singles) { memory.unmapFrames([frame], at: single) }
        guard let address else { throw .grantShareFailed(domain: grantee, count: count, errno: 12) }
        var refs: [GrantRef] = []
        for frame in frames {
            let ref = nextGrantRef[owner] ?? 8
            nextGrantRef[owner] = ref + 1
            grantTables[owner, default: [:]][ref] = GrantEntry(frame: frame, grantee: grantee, readOnly: !writable, mapCount: 0)
            refs.append(GrantRef(ref))
        }
        sharedPages[UInt(bitPattern: address)] = SharedRecord(owner: owner, frames: frames, refs: refs)
        return SharedPages(address: address, domain: grantee, refs: refs, writable: writable)
    }

    func unshare(by owner: DomainID, _ pages: SharedPages) throws(XenError) {
        let firstRef = pages.refs.first ?? GrantRef(0)
        if let code = faults.take(.grantUnshare) { throw .grantUnshareFailed(domain: pages.domain, ref: firstRef, errno: code) }
        guard let record = sharedPages[UInt(bitPattern: pages.address)], record.owner == owner else {
            throw .grantUnshareFailed(domain: pages.domain, ref: firstRef, errno: 22)
        }
        sharedPages[UInt(bitPattern: pages.address)] = nil
        // As gntalloc: the grants end now; a frame the grantee still maps lives until it unmaps it.
        for ref in record.refs { grantTables[owner]?[ref.rawValue] = nil }
        memory.unmapFrames(record.frames, at: pages.address)
    }

    /// Number of page sets shared and not yet unshared (by any domain).
    package var liveSharedCount: Int { sharedPages.count }
}
