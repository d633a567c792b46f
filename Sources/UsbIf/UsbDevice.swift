// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The usbif backend for one virtual USB controller (xen/io/usbif.h, a
/// `usbctrl` of a guest, served as `qusb`): reads the controller's topology
/// (`num-ports`, `usb-ver`, `port/N` busids) from its own backend nodes, opens
/// the assigned host devices, and at connect maps the frontend's `urb-ring-ref`
/// and `conn-ring-ref` and binds its `event-channel`. URBs are validated and
/// replayed on the host (`USBHost`), SET_ADDRESS is answered by the backend
/// (the host device keeps the address its own bus gave it), and attach/detach
/// of a port is announced on the conn ring.
///
/// Linux's xen-hcd switches 1→4 straight after the backend's InitWait;
/// `BackendStateMachine` connects on a frontend in Initialised or Connected.
public final class UsbDevice<Platform: XenPlatform, Host: USBHost>: XenDevice {
    public let link: XenbusLink<Platform>
    public let host: Host
    public let options: UsbIfOptions
    let log: XenLog
    /// High 32 bits of this device's transfer tokens.
    let serial: UInt32
    var nextToken: UInt32 = 0
    public private(set) var numPorts = 0
    public private(set) var usbVersion: UInt32 = 0
    var ports: [UsbPortSlot] = []
    /// Guest address → port (0: none), as SET_ADDRESS assigned them.
    var addresses = [UInt8](repeating: 0, count: 128)
    /// The URB ring and the controller's event channel (shared with the conn ring).
    var urbChannel: RequestChannel?
    var connRing: BackRing?
    var eventPort: Port?
    /// URBs at the host (`submitted`) or waiting for room, oldest first.
    var urbs: [InFlightUrb] = []
    /// Conn-ring events waiting for a frontend request slot.
    var connQueue: [(port: UInt8, speed: UsbSpeed)] = []
    /// URB requests taken off the ring in this turn, handled after it.
    var taken: [UrbRequest] = []
    /// Private copy of a conn-ring response being written.
    let connScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: UsbIfWire.connResponseSize, alignment: 8)
    /// Most conn events kept while the frontend posts no requests.
    static var connQueueLimit: Int { 4 * UsbIfWire.maxPorts }

    public init(link: XenbusLink<Platform>, host: Host, options: UsbIfOptions, serial: UInt32, log: XenLog) {
        self.link = link
        self.host = host
        self.options = options
        self.serial = serial
        self.log = log
    }

    deinit {
        connScratch.deallocate()
    }

    /// True while the rings are mapped.
    public var isConnected: Bool { urbChannel != nil }

    /// URBs handed to the host and not yet answered.
    public var submittedCount: Int { urbs.reduce(0) { $0 + ($1.submitted ? 1 : 0) } }
    /// URBs waiting for room under `maxUrbs`.
    public var waitingCount: Int { urbs.count - submittedCount }

    /// The speed of the device on `port` (1-based), `.none` if empty.
    public func speed(port: Int) -> UsbSpeed {
        guard port >= 1, port <= ports.count else { return .none }
        return ports[port - 1].speed
    }

    /// The port a guest address belongs to (0: none).
    public func port(address: UInt8) -> UInt8 { addresses[Int(address & 0x7F)] }

    public func publish(_ link: XenbusLink<Platform>) throws(XenError) {
        let numPortsPath = XenPath.join(link.backendPath, UsbIfWire.fieldNumPorts)
        let versionPath = XenPath.join(link.backendPath, UsbIfWire.fieldUsbVersion)
        guard let portsText = try link.platform.store.read(numPortsPath) else { throw .frontendNodeMissing(path: numPortsPath) }
        guard let count = XenPath.parseUInt32(portsText), count >= 1, count <= UInt32(UsbIfWire.maxPorts) else {
            throw .frontendNodeInvalid(path: numPortsPath, value: portsText)
        }
        guard let versionText = try link.platform.store.read(versionPath) else { throw .frontendNodeMissing(path: versionPath) }
        guard let version = XenPath.parseUInt32(versionText),
              version == UsbIfWire.usbVersion11 || version == UsbIfWire.usbVersion20 else {
            throw .frontendNodeInvalid(path: versionPath, value: versionText)
        }
        if Int(count) != numPorts || version != usbVersion {
            for port in ports.indices where ports[port].isAttached { detach(port: port + 1) }
            numPorts = Int(count)
            usbVersion = version
            ports = [UsbPortSlot](repeating: UsbPortSlot(), count: numPorts)
        }
        assignBoundPorts()
        refreshPorts()
    }

    public func connect(_ link: XenbusLink<Platform>) throws(XenError) {
        let urbRef = try link.requireFrontendUInt32(UsbIfWire.fieldUrbRingRef)
        let connRef = try link.requireFrontendUInt32(UsbIfWire.fieldConnRingRef)
        let remotePort = try link.requireFrontendUInt32(UsbIfWire.fieldEventChannel)
        let connGeometry = try RingGeometry(requestSize: UsbIfWire.connRequestSize, responseSize: UsbIfWire.connResponseSize,
                                            slotAlignment: UsbIfWire.connAlignment)
        let channel = try RequestChannel.open(link: link, ringRef: urbRef, remotePort: remotePort,
                                         requestSize: UsbIfWire.requestSize, responseSize: UsbIfWire.responseSize,
                                         slotAlignment: UsbIfWire.requestAlignment, refusalLogLimit: 64)
        let connMapping = try link.map(refs: [GrantRef(connRef)], writable: true)
        urbChannel = channel
        connRing = BackRing(pages: connMapping.address, geometry: connGeometry)
        eventPort = channel.port
        addresses = [UInt8](repeating: 0, count: 128)
        connQueue.removeAll()
        for index in ports.indices where ports[index].isAttached { queueConn(port: UInt8(index + 1), speed: ports[index].speed) }
        try flushConn()  // xen-hcd posted its conn requests before publishing the refs
        log.write("usbif: \(link.backendPath): connected, \(numPorts) port(s), USB \(usbVersion == 2 ? "2.0" : "1.1")")
    }

    public func handleEvent(_ link: XenbusLink<Platform>, port: Port) throws(XenError) -> Bool {
        guard port == eventPort else { return false }
        return try service()
    }

    /// Serves both rings: answers queued conn events, consumes one budget of
    /// URB requests. True if URB requests are left.
    func service() throws(XenError) -> Bool {
        try flushConn()
        let more = try processRequests()
        try flushConn()
        return more
    }

    public func disconnect(_ link: XenbusLink<Platform>) {
        for urb in urbs where urb.submitted { host.cancel(urb.token) }  // completions arrive for unknown tokens: ignored
        urbs.removeAll()
        urbChannel = nil
        taken.removeAll()
        connRing = nil
        eventPort = nil
        connQueue.removeAll()
        addresses = [UInt8](repeating: 0, count: 128)
    }

    /// The device is gone for good: closes every host device it opened.
    public func retire() {
        for index in ports.indices {
            if let device = ports[index].device { host.close(device.handle) }
            ports[index] = UsbPortSlot()
        }
    }

    /// Sends `response` on the URB ring and notifies the frontend if it asked.
    func respond(_ response: UrbResponse) throws(XenError) {
        try urbChannel?.respond { response.encode(into: $0) }
    }

    /// Logs why a request was refused, a bounded number of times per connection.
    func logRequestError(_ id: UInt16, _ error: UsbIfError) {
        urbChannel?.logRefusal(log, prefix: "usbif: \(link.backendPath): ") { "request \(id): \(error.description)" }
    }

    func respond(id: UInt16, status: UsbStatus) throws(XenError) {
        try respond(UrbResponse(id: id, status: status.rawValue))
    }
}
