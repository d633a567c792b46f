// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

extension XenSimulator {
    /// The key of `port` of `domain` in `channels`.
    static func channelKey(_ domain: DomainID, _ port: UInt32) -> UInt64 { UInt64(domain.rawValue) << 32 | UInt64(port) }

    func openEventHandle(domain: DomainID) -> Int {
        let id = allocateID()
        eventHandles[id] = EventHandle(domain: domain)
        return id
    }

    /// Closes a handle: its ports are closed as by `unbind`.
    func closeEventHandle(_ id: Int) {
        guard let handle = eventHandles[id] else { return }
        let ports = channels.filter { $0.key >> 32 == UInt64(handle.domain.rawValue) && $0.value.handle == id }.keys
        for key in ports { closePort(domain: handle.domain, port: UInt32(truncatingIfNeeded: key)) }
        eventHandles[id] = nil
    }

    func eventFD(_ id: Int) -> Int32 { eventHandles[id]?.pipe.readFD ?? -1 }

    private func newPort(domain: DomainID, _ channel: Channel) -> Port {
        let number = nextPort[domain] ?? 1
        nextPort[domain] = number + 1
        channels[Self.channelKey(domain, number)] = channel
        return Port(number)
    }

    /// `xenevtchn_bind_unbound_port`: a port of `id`'s domain that `remote` may bind.
    func allocateUnbound(_ id: Int, remote: DomainID) throws(XenError) -> Port {
        guard let handle = eventHandles[id] else { throw .eventChannelBindFailed(domain: remote, remotePort: Port(0), errno: 9) }
        return newPort(domain: handle.domain, Channel(handle: id, remoteDomain: remote, remotePort: nil))
    }

    func bindInterdomain(_ id: Int, domain remote: DomainID, remotePort: Port) throws(XenError) -> Port {
        if let code = faults.take(.eventBind) { throw .eventChannelBindFailed(domain: remote, remotePort: remotePort, errno: code) }
        guard let handle = eventHandles[id],
              let target = channels[Self.channelKey(remote, remotePort.rawValue)],
              target.remotePort == nil, target.remoteDomain == handle.domain else {
            throw .eventChannelBindFailed(domain: remote, remotePort: remotePort, errno: 22)
        }
        let local = newPort(domain: handle.domain, Channel(handle: id, remoteDomain: remote, remotePort: remotePort))
        target.remotePort = local
        return local
    }

    func notify(_ id: Int, _ port: Port) throws(XenError) {
        if let code = faults.take(.eventNotify) { throw .eventChannelNotifyFailed(port: port, errno: code) }
        guard let handle = eventHandles[id], let channel = channels[Self.channelKey(handle.domain, port.rawValue)],
              channel.handle == id else {
            throw .eventChannelNotifyFailed(port: port, errno: 22)
        }
        guard let remotePort = channel.remotePort else { return }  // peer closed: the event goes nowhere
        deliver(domain: channel.remoteDomain, port: remotePort)
    }

    private func deliver(domain: DomainID, port: Port) {
        guard let channel = channels[Self.channelKey(domain, port.rawValue)], let handle = eventHandles[channel.handle] else { return }
        if channel.masked {
            channel.latched = true
        } else {
            channel.masked = true
            handle.queue.append(port)
            handle.pipe.setReady(true)
        }
    }

    func unbind(_ id: Int, _ port: Port) throws(XenError) {
        if let code = faults.take(.eventUnbind) { throw .eventChannelUnbindFailed(port: port, errno: code) }
        guard let handle = eventHandles[id], let channel = channels[Self.channelKey(handle.domain, port.rawValue)], channel.handle == id else {
            throw .eventChannelUnbindFailed(port: port, errno: 22)
        }
        closePort(domain: handle.domain, port: port.rawValue)
    }

    private func closePort(domain: DomainID, port: UInt32) {
        guard let channel = channels.removeValue(forKey: Self.channelKey(domain, port)) else { return }
        if let handle = eventHandles[channel.handle] {
            handle.queue.removeAll { $0.rawValue == port }
            if handle.queue.isEmpty { handle.pipe.setReady(false) }
        }
        if let remotePort = channel.remotePort {
            // The peer falls back to unbound, waiting for this domain (as in Xen).
            channels[Self.channelKey(channel.remoteDomain, remotePort.rawValue)]?.remotePort = nil
        }
    }

    func pending(_ id: Int) throws(XenError) -> Port? {
        if let code = faults.take(.eventPending) { throw .eventChannelPendingFailed(errno: code) }
        guard let handle = eventHandles[id], !handle.queue.isEmpty else { return nil }
        let port = handle.queue.removeFirst()
        if handle.queue.isEmpty { handle.pipe.setReady(false) }
        return port
    }

    func unmask(_ id: Int, _ port: Port) throws(XenError) {
        if let code = faults.take(.eventUnmask) { throw .eventChannelUnmaskFailed(port: port, errno: code) }
        guard let handle = eventHandles[id], let channel = channels[Self.channelKey(handle.domain, port.rawValue)], channel.handle == id else {
            throw .eventChannelUnmaskFailed(port: port, errno: 22)
        }
        channel.masked = false
        var refire = channel.latched
        channel.latched = false
        if channel.stormLeft > 0 {  // the guest notified again while the port was masked
            channel.stormLeft -= 1
            refire = true
        }
        if refire { deliver(domain: handle.domain, port: port) }
    }

    /// A guest notifying `port` (its own end) in a tight loop from another
    /// vCPU: the peer's port fires now and again every time the backend
    /// unmasks it, `deliveries` times in all (bounded so a backend that never
    /// returns to its poll loop still ends). 0 stops the storm.
    package func storm(domain: DomainID, port: Port, deliveries: Int) {
        guard let channel = channels[Self.channelKey(domain, port.rawValue)], let remotePort = channel.remotePort,
              let peer = channels[Self.channelKey(channel.remoteDomain, remotePort.rawValue)] else { return }
        peer.stormLeft = deliveries
        if deliveries > 0 { deliver(domain: channel.remoteDomain, port: remotePort) }
    }

    /// Deliveries left of the storm on `port` of `domain` (the guest's end).
    package func stormLeft(domain: DomainID, port: Port) -> Int {
        guard let channel = channels[Self.channelKey(domain, port.rawValue)], let remotePort = channel.remotePort else { return 0 }
        return channels[Self.channelKey(channel.remoteDomain, remotePort.rawValue)]?.stormLeft ?? 0
    }
}
