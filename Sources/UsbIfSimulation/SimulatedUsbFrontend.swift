// SPDX-License-Identifier: GPL-2.0-only OR MIT
import UsbIf
import XenCore
import XenSimulator

/// A simulated xen-hcd: one virtual controller's frontend. Like Linux's
/// driver it publishes `urb-ring-ref`, `conn-ring-ref` and `event-channel`,
/// fills the conn ring with requests (ids 0...), and jumps from Initialising
/// straight to Connected once the backend is in InitWait.
package final class SimulatedUsbFrontend {
    package let bus: SimulatedFrontendBus
    package private(set) var urbRing: FrontRing?
    package private(set) var connRing: FrontRing?
    package private(set) var urbPage: UnsafeMutableRawPointer?
    package private(set) var connPage: UnsafeMutableRawPointer?
    package private(set) var port: Port?
    private var packet = [UInt8](repeating: 0, count: UsbIfWire.requestSize)

    package init(simulator: XenSimulator, domain: DomainID, frontendPath: String) throws(XenError) {
        bus = try SimulatedFrontendBus(simulator: simulator, domain: domain, frontendPath: frontendPath)
    }

    package var domain: DomainID { bus.domain }

    /// Grants both ring pages, allocates the event channel, writes the nodes,
    /// posts every conn-ring request and switches to `state` (Connected, as
    /// xen-hcd does; Initialised for a frontend that follows the usual path).
    package func connect(state: XenbusState = .connected) throws(XenError) {
        let (urb, urbRef) = bus.allocateGrantedPage()
        let (conn, connRef) = bus.allocateGrantedPage()
        let newPort = try bus.allocatePort()
        let urbGeometry = try RingGeometry(requestSize: UsbIfWire.requestSize, responseSize: UsbIfWire.responseSize,
                                           slotAlignment: UsbIfWire.requestAlignment)
        let connGeometry = try RingGeometry(requestSize: UsbIfWire.connRequestSize, responseSize: UsbIfWire.connResponseSize,
                                            slotAlignment: UsbIfWire.connAlignment)
        urbRing = FrontRing(initialising: urb, geometry: urbGeometry)
        connRing = FrontRing(initialising: conn, geometry: connGeometry)
        urbPage = urb
        connPage = conn
        port = newPort
        var id: UInt16 = 0
        while connRing!.freeRequests > 0 {
            postConnRequest(id)
            id += 1
        }
        _ = connRing!.pushRequests()
        try bus.write(UsbIfWire.fieldUrbRingRef, urbRef.description)
        try bus.write(UsbIfWire.fieldConnRingRef, connRef.description)
        try bus.write(UsbIfWire.fieldEventChannel, newPort.description)
        try bus.setState(state)
    }

    private func postConnRequest(_ id: UInt16) {
        let bytes: [UInt8] = [UInt8(truncatingIfNeeded: id), UInt8(truncatingIfNeeded: id >> 8)]
        _ = bytes.withUnsafeBytes { connRing!.putRequest($0) }
    }

    /// Ends every grant, frees the pages and ports (the frontend's teardown);
    /// the rings are forgotten.
    package func release() {
        bus.release()
        urbRing = nil
        connRing = nil
        urbPage = nil
        connPage = nil
        port = nil
    }

    /// Puts a request on the URB ring, publishes it and notifies if asked.
    package func submit(_ request: UrbRequest) throws(XenError) {
        try submitRaw { request.encode(into: $0) }
    }

    /// Puts 148 arbitrary bytes on the URB ring (hostile frontends).
    package func submitRaw(_ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(XenError) {
        guard urbRing != nil, let port else { throw .frontendProtocolViolation(domain: domain, reason: "not connected") }
        let put = packet.withUnsafeMutableBytes { bytes -> Bool in
            fill(bytes)
            return urbRing!.putRequest(UnsafeRawBufferPointer(bytes))
        }
        guard put else { throw .frontendProtocolViolation(domain: domain, reason: "simulated URB ring full") }
        if urbRing!.pushRequests() { try bus.notify(port) }
    }

    /// Every URB response since the last call.
    package func responses() throws(XenError) -> [UrbResponse] {
        var result: [UrbResponse] = []
        guard urbRing != nil else { return result }
        var bytes = [UInt8](repeating: 0, count: UsbIfWire.responseSize)
        while true {
            var got = false
            var failure: XenError?
            bytes.withUnsafeMutableBytes { raw in
                do throws(XenError) { got = try urbRing!.nextResponse(into: raw) } catch { failure = error }
            }
            if let failure { throw failure }
            if !got {
                if urbRing!.finalCheckForResponses() { continue }
                return result
            }
            result.append(bytes.withUnsafeBytes { UrbResponse(decoding: $0) })
        }
    }

    /// Every conn-ring event since the last call; each consumed response's
    /// request is posted again with the same id (as xen-hcd does).
    package func connEvents() throws(XenError) -> [UsbConnEvent] {
        var result: [UsbConnEvent] = []
        guard connRing != nil, let port else { return result }
        var bytes = [UInt8](repeating: 0, count: UsbIfWire.connResponseSize)
        while true {
            var got = false
            var failure: XenError?
            bytes.withUnsafeMutableBytes { raw in
                do throws(XenError) { got = try connRing!.nextResponse(into: raw) } catch { failure = error }
            }
            if let failure { throw failure }
            if !got {
                if connRing!.finalCheckForResponses() { continue }
                break
            }
            let event = bytes.withUnsafeBytes { UsbConnEvent(decoding: $0) }
            result.append(event)
            postConnRequest(event.id)
        }
        if !result.isEmpty, connRing!.pushRequests() { try bus.notify(port) }
        return result
    }

    /// Grants pages holding `byteCount` bytes starting at `offset` in the
    /// first page (a buffer not aligned to a page, as kmalloc'd ones are).
    package func allocateBuffer(byteCount: Int, offset: Int = 0) -> SimulatedUsbBuffer {
        var pages: [UnsafeMutableRawPointer] = []
        var segments: [UsbSegment] = []
        var remaining = byteCount
        var inPage = offset % XenPage.size
        while remaining > 0 {
            let (page, ref) = bus.allocateGrantedPage()
            let length = min(XenPage.size - inPage, remaining)
            pages.append(page)
            segments.append(UsbSegment(ref: ref, offset: UInt16(inPage), length: UInt16(length)))
            remaining -= length
            inPage = 0
        }
        return SimulatedUsbBuffer(pages: pages, segments: segments)
    }
}
