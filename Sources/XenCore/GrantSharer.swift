// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Pages this domain allocated and granted to another domain (the backend's
/// side of displif's be-alloc), mapped contiguously from `address`.
public struct SharedPages: Equatable {
    public let address: UnsafeMutableRawPointer
    /// The domain the pages are granted to.
    public let domain: DomainID
    /// One grant reference per page, in order.
    public let refs: [GrantRef]
    public let writable: Bool
    public init(address: UnsafeMutableRawPointer, domain: DomainID, refs: [GrantRef], writable: Bool) {
        self.address = address
        self.domain = domain
        self.refs = refs
        self.writable = writable
    }
    /// Number of bytes shared (`refs.count` pages).
    public var byteCount: Int { refs.count * XenPage.size }
}

/// Allocates pages and grants them to another domain (libxengnttab's
/// xengntshr_* functions over the gntalloc driver, module xen-gntalloc).
public protocol GrantSharer: AnyObject {
    /// `count` zeroed pages granted to `domain`, writable or read-only for it
    /// (`xengntshr_share_pages`). All or nothing.
    func share(domain: DomainID, count: Int, writable: Bool) throws(XenError) -> SharedPages
    /// Ends the grants and frees the pages (`xengntshr_unshare`); a page the
    /// other domain still maps is freed when it unmaps it.
    func unshare(_ pages: SharedPages) throws(XenError)
}
