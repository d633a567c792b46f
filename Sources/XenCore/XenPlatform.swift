// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Everything a backend needs from Xen, as four capabilities chosen together:
/// the real platform (libxen*) in executables, the simulated one in tests.
public protocol XenPlatform: AnyObject {
    associatedtype Store: XenStore
    associatedtype Grants: GrantMapper
    associatedtype Events: EventChannels
    associatedtype Sharer: GrantSharer
    /// The domain this process runs in (0 in dom0, the DomD id in a driver domain).
    var domain: DomainID { get }
    var store: Store { get }
    var grants: Grants { get }
    var events: Events { get }
    /// Pages this domain grants to others (displif be-alloc).
    var sharer: Sharer { get }
}
