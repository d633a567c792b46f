// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CXen
import XenCore

/// Pages granted to other domains through libxengnttab's xengntshr_* (the
/// gntalloc driver, module xen-gntalloc). The device is opened at the first
/// share, so a backend that never shares needs no /dev/xen/gntalloc.
public final class LinuxGrantSharer: GrantSharer {
    private var handle: OpaquePointer?

    public init() {}

    deinit { if let handle { xengntshr_close(handle) } }

    public func share(domain: DomainID, count: Int, writable: Bool) throws(XenError) -> SharedPages {
        if handle == nil { handle = xengntshr_open(nil, 0) }
        guard let handle else { throw .grantShareFailed(domain: domain, count: count, errno: cxen_errno()) }
        guard count > 0, count <= 65_536 else { throw .grantShareFailed(domain: domain, count: count, errno: 22) }
        var raw = [UInt32](repeating: 0, count: count)
        let address = raw.withUnsafeMutableBufferPointer {
            xengntshr_share_pages(handle, UInt32(domain.rawValue), Int32(count), $0.baseAddress, writable ? 1 : 0)
        }
        guard let address else { throw .grantShareFailed(domain: domain, count: count, errno: cxen_errno()) }
        memset(address, 0, count * XenPage.size)
        return SharedPages(address: address, domain: domain, refs: raw.map { GrantRef($0) }, writable: writable)
    }

    public func unshare(_ pages: SharedPages) throws(XenError) {
        guard let handle, xengntshr_unshare(handle, pages.address, UInt32(pages.refs.count)) == 0 else {
            throw .grantUnshareFailed(domain: pages.domain, ref: pages.refs.first ?? GrantRef(0), errno: cxen_errno())
        }
    }
}
