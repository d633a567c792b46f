// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// An event-channel handle of one domain in the simulation; its fd is a pipe
/// readable while a port is pending.
package final class SimulatedEventChannels: EventChannels {
    let simulator: XenSimulator
    let id: Int
    package let domain: DomainID

    package init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
        self.id = simulator.openEventHandle(domain: domain)
        self.fd = simulator.eventFD(id)
    }

    deinit { simulator.closeEventHandle(id) }

    /// The handle's pipe (fixed for its lifetime, closed at deinit).
    package let fd: Int32
    /// Allocates a port `remote` may bind (`xenevtchn_bind_unbound_port`), as frontends do.
    package func allocateUnbound(remote: DomainID) throws(XenError) -> Port { try simulator.allocateUnbound(id, remote: remote) }
    package func bindInterdomain(domain remote: DomainID, remotePort: Port) throws(XenError) -> Port {
        try simulator.bindInterdomain(id, domain: remote, remotePort: remotePort)
    }
    package func notify(_ port: Port) throws(XenError) { try simulator.notify(id, port) }
    package func unbind(_ port: Port) throws(XenError) { try simulator.unbind(id, port) }
    package func pending() throws(XenError) -> Port? { try simulator.pending(id) }
    package func unmask(_ port: Port) throws(XenError) { try simulator.unmask(id, port) }
}
