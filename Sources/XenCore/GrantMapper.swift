// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Pages of another domain mapped into this process, contiguous from `address`.
public struct GrantMapping: Equatable {
    public let address: UnsafeMutableRawPointer
    public let domain: DomainID
    public let refs: [GrantRef]
    public let writable: Bool
    public init(address: UnsafeMutableRawPointer, domain: DomainID, refs: [GrantRef], writable: Bool) {
        self.address = address
        self.domain = domain
        self.refs = refs
        self.writable = writable
    }
    /// Number of bytes mapped (`refs.count` pages).
    public var byteCount: Int { refs.count * XenPage.size }
}

/// Xen's page size for grants and shared rings (`XEN_PAGE_SIZE`).
public enum XenPage {
    public static let size = 4096
}

/// Maps pages another domain granted to this one (libxengnttab).
public protocol GrantMapper: AnyObject {
    /// Maps `refs` of `domain` contiguously, writable or read-only
    /// (`xengnttab_map_domain_grant_refs`). All or nothing.
    func map(domain: DomainID, refs: [GrantRef], writable: Bool) throws(XenError) -> GrantMapping
    /// Unmaps a mapping made by `map` (`xengnttab_unmap`).
    func unmap(_ mapping: GrantMapping) throws(XenError)
}

extension GrantMapper {
    /// Maps one page (`xengnttab_map_grant_ref`).
    public func map(domain: DomainID, ref: GrantRef, writable: Bool) throws(XenError) -> GrantMapping {
        try map(domain: domain, refs: [ref], writable: writable)
    }
}
