// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

extension UsbDevice {
    /// Writes `port/N` of each port the image binds to this guest's controller
    /// (`UsbIfOptions.bindings`: guest name, devid, port): a bus path as it is,
    /// a vendor:product as the bus path of such a device on the bound controller
    /// once one is plugged. libxl writes `port/N` only for a dom0 backend
    /// (`libxl_device_usbdev_add` refuses others); this directory is DomD's.
    public func assignBoundPorts() {
        guard !options.bindings.isEmpty, !ports.isEmpty, let guest = link.frontendDomainName() else { return }
        for index in ports.indices {
            guard let value = options.bindings.target(guest: guest, id: link.deviceName, direction: String(index + 1))
            else { continue }
            var busID = UsbBusID(value)
            if busID == nil, let ids = UsbVendorProduct(value) {
                busID = host.find(vendor: ids.vendor, product: ids.product)
                if let found = busID, !options.buses.isEmpty && !options.buses.contains(found.bus) { busID = nil }
                if busID == nil {
                    if ports[index].assignedText.isEmpty {
                        note(port: index + 1, "port \(index + 1): no " + ids.description + " on the bound controller yet")
                    }
                    continue
                }
            }
            guard let busID else { continue }
            let path = XenPath.join(XenPath.join(link.backendPath, UsbIfWire.fieldPort), String(index + 1))
            let current = ((try? link.platform.store.read(path)) ?? nil) ?? ""
            guard !current.bytesEqual(busID.description) else { continue }
            do throws(XenError) {
                try link.platform.store.write(path, busID.description)
                log.write("usbif: \(link.backendPath): port \(index + 1): assigned " + busID.description
                          + (value.bytesEqual(busID.description) ? "" : " (" + value + ")") + " for guest " + guest)
            } catch {
                log.write("usbif: \(link.backendPath): port \(index + 1): cannot write " + path + ": " + error.description)
            }
        }
    }

    /// Re-reads `port/1...num-ports` (libxl writes a busid such as `3-1.5`, or
    /// "" for an empty port) and attaches or detaches host devices to match.
    public func refreshPorts() {
        for index in ports.indices {
            let path = XenPath.join(XenPath.join(link.backendPath, UsbIfWire.fieldPort), String(index + 1))
            let text = ((try? link.platform.store.read(path)) ?? nil) ?? ""
            if !text.bytesEqual(ports[index].assignedText) {
                if ports[index].isAttached { detach(port: index + 1) }
                ports[index].assignedText = text
                ports[index].assigned = UsbBusID(text)
                ports[index].failure = nil
                if !text.isEmpty && ports[index].assigned == nil {
                    note(port: index + 1, "port \(index + 1): '\(text)' is not a USB busid")
                }
            }
            // A device that could not be attached is tried again when its assignment
            // changes or (hot-plug) it arrives, not on every xenstore event.
            if ports[index].assigned != nil && !ports[index].isAttached && ports[index].failure == nil { attach(port: index + 1) }
        }
    }

    /// A host device arrived or left: with hot-plug on, ports it is assigned
    /// to are attached or detached (and the frontend told).
    public func hostEvent(_ event: USBHostEvent) {
        guard options.hotplug else { return }
        switch event {
        case .arrived(let busID):
            assignBoundPorts()  // a vendor:product binding may now find its device
            refreshPorts()
            for index in ports.indices where ports[index].assigned == busID && !ports[index].isAttached {
                ports[index].failure = nil
                attach(port: index + 1)
            }
        case .left(let busID):
            for index in ports.indices where ports[index].assigned == busID && ports[index].isAttached {
                log.write("usbif: \(link.backendPath): port \(index + 1): \(busID.description) unplugged")
                detach(port: index + 1)
            }
        }
    }

    /// Opens the device assigned to `port`; on success the frontend is told.
    func attach(port: Int) {
        guard let busID = ports[port - 1].assigned else { return }
        if !options.buses.isEmpty && !options.buses.contains(busID.bus) {
            note(port: port, UsbIfError.busIDRejected(busID: busID.description,
                                                      reason: "bus \(busID.bus) is not the bound controller's").description)
            return
        }
        let device: USBOpenedDevice
        do throws(UsbIfError) { device = try host.open(busID) } catch {
            note(port: port, error.description)
            return
        }
        if device.speed == .none || (device.speed == .high && usbVersion < UsbIfWire.usbVersion20) {
            host.close(device.handle)
            note(port: port, UsbIfError.speedUnsupported(busID: busID.description, speed: device.speed).description)
            return
        }
        ports[port - 1].device = device
        ports[port - 1].failure = nil
        log.write("usbif: \(link.backendPath): port \(port): \(busID.description) attached at \(device.speed.description) speed")
        queueConn(port: UInt8(port), speed: device.speed)
    }

    /// Closes the device on `port`: URBs waiting for it are answered SHUTDOWN,
    /// those at the host are cancelled (answered when the host lets go), its
    /// guest addresses are forgotten and the frontend is told (speed none).
    func detach(port: Int) {
        guard let device = ports[port - 1].device else { return }
        for urb in urbs where Int(urb.port) == port && urb.submitted && !urb.unlinked {
            urb.unlinked = true
            host.cancel(urb.token)
        }
        let waiting = urbs.filter { Int($0.port) == port && !$0.submitted }
        urbs.removeAll { Int($0.port) == port && !$0.submitted }
        for urb in waiting {
            release(urb)
            try? respond(id: urb.id, status: .shutdown)
        }
        host.close(device.handle)
        ports[port - 1].device = nil
        for address in addresses.indices where Int(addresses[address]) == port { addresses[address] = 0 }
        queueConn(port: UInt8(port), speed: .none)
    }

    /// Logs why a port's device is not attached, once per assignment.
    func note(port: Int, _ reason: String) {
        if let failure = ports[port - 1].failure, failure.bytesEqual(reason) { return }
        ports[port - 1].failure = reason
        log.write("usbif: \(link.backendPath): port \(port): \(reason)")
    }

    func queueConn(port: UInt8, speed: UsbSpeed) {
        guard isConnected else { return }
        if connQueue.count >= Self.connQueueLimit { connQueue.removeFirst() }
        connQueue.append((port: port, speed: speed))
    }

    private func nextConnRequest() throws(XenError) -> Bool {
        try connRing!.nextRequest(into: connScratch)
    }

    /// Answers queued attach/detach events with the frontend's conn-ring
    /// requests (their ids echoed), as many as it has posted.
    public func flushConn() throws(XenError) {
        guard connRing != nil, !connQueue.isEmpty else { return }
        var sent = false
        while !connQueue.isEmpty {
            if try !nextConnRequest() {
                guard try connRing!.finalCheckForRequests(), try nextConnRequest() else { break }
            }
            let id = PacketBytes.u16(UnsafeRawBufferPointer(connScratch), UsbIfWire.connIDOffset)
            let event = connQueue.removeFirst()
            var bytes = [UInt8](repeating: 0, count: UsbIfWire.connResponseSize)
            bytes.withUnsafeMutableBytes { UsbConnEvent(id: id, port: event.port, speed: event.speed.rawValue).encode(into: $0) }
            _ = bytes.withUnsafeBytes { connRing!.putResponse($0) }
            sent = true
        }
        if sent, connRing!.pushResponses(), let eventPort { try link.notify(eventPort) }
    }
}
