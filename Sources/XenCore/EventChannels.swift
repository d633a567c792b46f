// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Event channels of one handle (libxenevtchn). All ports bound through one
/// handle signal through its single pollable `fd`.
public protocol EventChannels: AnyObject {
    /// Readable when some bound port has fired.
    var fd: Int32 { get }
    /// Binds a local port to `remotePort` of `domain` (`xenevtchn_bind_interdomain`).
    func bindInterdomain(domain: DomainID, remotePort: Port) throws(XenError) -> Port
    /// Signals the remote end of a bound local port (`xenevtchn_notify`).
    func notify(_ port: Port) throws(XenError)
    /// Unbinds a local port (`xenevtchn_unbind`).
    func unbind(_ port: Port) throws(XenError)
    /// The next port that fired, without blocking; nil if none. The port stays
    /// masked until `unmask` (`xenevtchn_pending`).
    func pending() throws(XenError) -> Port?
    /// Re-enables a port returned by `pending` (`xenevtchn_unmask`).
    func unmask(_ port: Port) throws(XenError)
}
