// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Everything that can fail in the Xen backend core. Each case names the failed
/// operation and carries the offending values; `description` says what to do.
public enum XenError: Error, Equatable, CustomStringConvertible {
    case storeOpenFailed(errno: Int32)
    case storeReadFailed(path: String, errno: Int32)
    case storeWriteFailed(path: String, errno: Int32)
    case storeMkdirFailed(path: String, errno: Int32)
    case storeRemoveFailed(path: String, errno: Int32)
    case storeDirectoryFailed(path: String, errno: Int32)
    case storePermissionsFailed(path: String, errno: Int32)
    case storeTransactionFailed(errno: Int32)
    case storeWatchFailed(path: String, token: String, errno: Int32)
    case grantOpenFailed(errno: Int32)
    case grantMapFailed(domain: DomainID, ref: GrantRef, errno: Int32)
    case grantUnmapFailed(domain: DomainID, ref: GrantRef, errno: Int32)
    case grantShareFailed(domain: DomainID, count: Int, errno: Int32)
    case grantUnshareFailed(domain: DomainID, ref: GrantRef, errno: Int32)
    case eventChannelOpenFailed(errno: Int32)
    case eventChannelBindFailed(domain: DomainID, remotePort: Port, errno: Int32)
    case eventChannelNotifyFailed(port: Port, errno: Int32)
    case eventChannelUnbindFailed(port: Port, errno: Int32)
    case eventChannelPendingFailed(errno: Int32)
    case eventChannelUnmaskFailed(port: Port, errno: Int32)
    case pollFailed(errno: Int32)
    /// Blocking the stop signals or opening their signalfd failed.
    case signalSetupFailed(errno: Int32)
    /// A node the frontend must write (xen/io/<protocol>.h) is absent.
    case frontendNodeMissing(path: String)
    /// A frontend node holds text that is not a valid value for it.
    case frontendNodeInvalid(path: String, value: String)
    /// A shared ring's producer index is further ahead than the ring holds.
    case ringOverrun(producer: UInt32, consumer: UInt32, size: UInt32)
    /// A ring cannot be laid over `pageCount` pages with slots of `slotSize` bytes.
    case ringGeometryInvalid(pageCount: Int, slotSize: Int)
    /// A page directory ended (next page 0) before listing `needed` pages.
    case pageDirectoryTooShort(needed: Int, found: Int)
    /// A shared buffer is larger than the protocol's limit.
    case bufferTooLarge(size: Int, limit: Int)
    /// Mapping `pages` more pages for `domain` would pass this backend's grant
    /// budget (`GrantBudget`): per domain or for all guests together. Indirect, so its
    /// six values do not grow XenError, which every protocol error carries inline.
    indirect case grantBudgetExceeded(domain: DomainID, pages: Int, domainPages: Int, domainLimit: Int, totalPages: Int, totalLimit: Int)
    /// The frontend broke a rule of its protocol header.
    case frontendProtocolViolation(domain: DomainID, reason: String)
    /// The simulation still had work after `rounds` poll rounds (a livelock).
    case simulationDidNotSettle(rounds: Int)

    public var description: String {
        switch self {
        case .storeOpenFailed(let e):
            return "Unable to open xenstore (errno \(e)): is xenstored running and /dev/xen/xenbus present?"
        case .storeReadFailed(let p, let e): return "Unable to read xenstore node \(p) (errno \(e)): check its permissions."
        case .storeWriteFailed(let p, let e): return "Unable to write xenstore node \(p) (errno \(e)): check its permissions."
        case .storeMkdirFailed(let p, let e): return "Unable to create xenstore directory \(p) (errno \(e))."
        case .storeRemoveFailed(let p, let e): return "Unable to remove xenstore node \(p) (errno \(e))."
        case .storeDirectoryFailed(let p, let e): return "Unable to list xenstore directory \(p) (errno \(e))."
        case .storePermissionsFailed(let p, let e): return "Unable to set permissions of xenstore node \(p) (errno \(e))."
        case .storeTransactionFailed(let e): return "Unable to start or end a xenstore transaction (errno \(e))."
        case .storeWatchFailed(let p, let t, let e): return "Unable to (un)watch xenstore path \(p) token \(t) (errno \(e))."
        case .grantOpenFailed(let e): return "Unable to open the grant device (errno \(e)): load xen-gntdev."
        case .grantMapFailed(let d, let r, let e):
            return "Unable to map grant \(r) of domain \(d) (errno \(e)): the frontend gave a bad grant reference."
        case .grantUnmapFailed(let d, let r, let e): return "Unable to unmap grant \(r) of domain \(d) (errno \(e))."
        case .grantShareFailed(let d, let n, let e):
            return "Unable to allocate \(n) page(s) granted to domain \(d) (errno \(e)): load xen-gntalloc, check its limit."
        case .grantUnshareFailed(let d, let r, let e): return "Unable to end the grants from \(r) to domain \(d) (errno \(e))."
        case .eventChannelOpenFailed(let e): return "Unable to open the event-channel device (errno \(e)): load xen-evtchn."
        case .eventChannelBindFailed(let d, let p, let e):
            return "Unable to bind event channel \(p) of domain \(d) (errno \(e)): the frontend gave a bad port."
        case .eventChannelNotifyFailed(let p, let e): return "Unable to notify event channel \(p) (errno \(e))."
        case .eventChannelUnbindFailed(let p, let e): return "Unable to unbind event channel \(p) (errno \(e))."
        case .eventChannelPendingFailed(let e): return "Unable to read pending event channels (errno \(e))."
        case .eventChannelUnmaskFailed(let p, let e): return "Unable to unmask event channel \(p) (errno \(e))."
        case .pollFailed(let e): return "Unable to poll the backend's file descriptors (errno \(e))."
        case .signalSetupFailed(let e): return "Unable to receive SIGTERM and SIGINT through a signalfd (errno \(e))."
        case .frontendNodeMissing(let p): return "Frontend node \(XenLog.escaped(p, limit: 160)) is missing: the frontend did not follow its protocol."
        case .frontendNodeInvalid(let p, let v): return "Frontend node \(XenLog.escaped(p, limit: 160)) holds invalid value '\(XenLog.escaped(v))'."
        case .ringOverrun(let p, let c, let s):
            return "Shared ring producer \(p) is more than \(s) entries ahead of consumer \(c): closing that frontend."
        case .ringGeometryInvalid(let n, let s): return "A shared ring cannot use \(n) page(s) with \(s)-byte slots."
        case .pageDirectoryTooShort(let n, let f): return "Page directory lists \(f) of the \(n) pages the buffer needs."
        case .bufferTooLarge(let s, let l): return "Shared buffer of \(s) bytes exceeds the limit of \(l) bytes."
        case .grantBudgetExceeded(let d, let n, let dp, let dl, let tp, let tl):
            return "Refused to map \(n) more page(s) of domain \(d): it has \(dp) of its \(dl) mapped and all guests \(tp) of \(tl); "
                + "the guest must release buffers first."
        case .frontendProtocolViolation(let d, let r): return "Frontend in domain \(d) broke its protocol: \(XenLog.escaped(r, limit: 400))."
        case .simulationDidNotSettle(let r): return "The simulation was still busy after \(r) poll rounds."
        }
    }
}
