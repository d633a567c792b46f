// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The real Xen platform of a backend process (libxenstore, libxengnttab,
/// libxenevtchn). Needs /dev/xen/{xenbus,gntdev,evtchn}.
public final class LinuxXenPlatform: XenPlatform {
    public let domain: DomainID
    public let store: LinuxXenStore
    public let grants: LinuxGrantMapper
    public let events: LinuxEventChannels
    public let sharer: LinuxGrantSharer

    /// Opens all three interfaces. The own domain id is read from the
    /// relative xenstore node `domid` unless given (dom0 may lack it: 0).
    public init(domain: DomainID? = nil) throws(XenError) {
        store = try LinuxXenStore()
        grants = try LinuxGrantMapper()
        events = try LinuxEventChannels()
        sharer = LinuxGrantSharer()
        if let domain {
            self.domain = domain
        } else if let text = try store.read("domid"), let parsed = XenPath.parseDomain(text) {
            self.domain = parsed
        } else {
            self.domain = .dom0
        }
    }
}
