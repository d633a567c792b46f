// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CXen
import XenCore

/// Grant mapping through libxengnttab (the gntdev driver, module xen-gntdev).
public final class LinuxGrantMapper: GrantMapper {
    private let handle: OpaquePointer

    /// Opens the grant device (`xengnttab_open`).
    public init() throws(XenError) {
        guard let handle = xengnttab_open(nil, 0) else { throw .grantOpenFailed(errno: cxen_errno()) }
        self.handle = handle
    }

    deinit { xengnttab_close(handle) }

    public func map(domain: DomainID, refs: [GrantRef], writable: Bool) throws(XenError) -> GrantMapping {
        var raw = refs.map { $0.rawValue }
        let protection = writable ? (PROT_READ | PROT_WRITE) : PROT_READ
        let address = raw.withUnsafeMutableBufferPointer {
            xengnttab_map_domain_grant_refs(handle, UInt32($0.count), UInt32(domain.rawValue), $0.baseAddress, protection)
        }
        guard let address else {
            throw .grantMapFailed(domain: domain, ref: refs.first ?? GrantRef(0), errno: cxen_errno())
        }
        return GrantMapping(address: address, domain: domain, refs: refs, writable: writable)
    }

    public func unmap(_ mapping: GrantMapping) throws(XenError) {
        if xengnttab_unmap(handle, mapping.address, UInt32(mapping.refs.count)) != 0 {
            throw .grantUnmapFailed(domain: mapping.domain, ref: mapping.refs.first ?? GrantRef(0), errno: cxen_errno())
        }
    }
}
