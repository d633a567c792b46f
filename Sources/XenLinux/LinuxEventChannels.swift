// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CXen
import XenCore

/// Event channels through libxenevtchn (module xen-evtchn). The fd is made
/// non-blocking so `pending` never blocks the poll loop.
public final class LinuxEventChannels: EventChannels {
    private let handle: OpaquePointer
    public let fd: Int32

    /// Opens the event-channel device (`xenevtchn_open`).
    public init() throws(XenError) {
        guard let handle = xenevtchn_open(nil, 0) else { throw .eventChannelOpenFailed(errno: cxen_errno()) }
        self.handle = handle
        fd = xenevtchn_fd(handle)
        let flags = clinux_fcntl_int(fd, F_GETFL, 0)
        if flags < 0 || clinux_fcntl_int(fd, F_SETFL, flags | O_NONBLOCK) < 0 {
            let code = clinux_errno()
            xenevtchn_close(handle)
            throw .eventChannelOpenFailed(errno: code)
        }
    }

    deinit { xenevtchn_close(handle) }

    public func bindInterdomain(domain: DomainID, remotePort: Port) throws(XenError) -> Port {
        let port = xenevtchn_bind_interdomain(handle, UInt32(domain.rawValue), remotePort.rawValue)
        guard port >= 0 else { throw .eventChannelBindFailed(domain: domain, remotePort: remotePort, errno: cxen_errno()) }
        return Port(UInt32(port))
    }

    public func notify(_ port: Port) throws(XenError) {
        if xenevtchn_notify(handle, port.rawValue) != 0 { throw .eventChannelNotifyFailed(port: port, errno: cxen_errno()) }
    }

    public func unbind(_ port: Port) throws(XenError) {
        if xenevtchn_unbind(handle, port.rawValue) != 0 { throw .eventChannelUnbindFailed(port: port, errno: cxen_errno()) }
    }

    public func pending() throws(XenError) -> Port? {
        let port = xenevtchn_pending(handle)
        if port >= 0 { return Port(UInt32(port)) }
        let code = cxen_errno()
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
        throw .eventChannelPendingFailed(errno: code)
    }

    public func unmask(_ port: Port) throws(XenError) {
        if xenevtchn_unmask(handle, port.rawValue) != 0 { throw .eventChannelUnmaskFailed(port: port, errno: cxen_errno()) }
    }
}
