// SPDX-License-Identifier: GPL-2.0-only OR MIT
import UsbIf
import XenCore
import XenSimulator

/// A simulated host with a usbif backend in a driver domain, a recording USB
/// host behind it, and any number of guest controllers written as libxl does
/// for a `qusb` usbctrl: the fixture shared by the tests and benchmarks.
package final class UsbScenario {
    package let simulator = XenSimulator()
    package let toolstack: SimulatedToolstack
    package let backendDomain: DomainID
    package let platform: SimulatedPlatform
    package let host = RecordingUSBHost()
    package let backend: UsbIfBackend<SimulatedPlatform, RecordingUSBHost>
    package let loop = PollLoop()
    private let logBox = LogBox()
    final class LogBox { var lines: [String] = [] }

    package init(backendDomain: DomainID = DomainID(1), options: UsbIfOptions = UsbIfOptions()) {
        self.backendDomain = backendDomain
        toolstack = SimulatedToolstack(simulator: simulator)
        platform = simulator.platform(for: backendDomain)
        let box = logBox
        backend = UsbIfBackend(platform: platform, host: host, options: options, log: XenLog { box.lines.append($0) })
        loop.add(backend)
    }

    /// The backend's log lines so far.
    package var log: [String] { logBox.lines }

    package func start() throws(XenError) { try backend.start() }

    package func run() throws(XenError) { try loop.runUntilIdle() }

    /// The backend directory of controller `devid` of `domain`.
    package func backendPath(frontend domain: DomainID, devid: UInt32 = 0) -> String {
        XenPath.join(XenPath.join(XenPath.backendRoot(backend: backendDomain, type: UsbIfWire.deviceType), domain.description),
                     String(devid))
    }

    /// Writes controller `devid` for `domain` as libxl_usb.c does (backend
    /// `frontend-id`, `online`, `state`, `type`, `usb-ver`, `num-ports`,
    /// `port/1...N` = "" then the given busids; frontend `device/vusb/<devid>`)
    /// and attaches a simulated xen-hcd to it.
    package func addController(domain: DomainID, devid: UInt32 = 0, numPorts: String = "8", usbVersion: String = "2",
                              ports: [Int: String] = [:]) throws(XenError) -> SimulatedUsbFrontend {
        let store = toolstack.store
        let backend = backendPath(frontend: domain, devid: devid)
        let frontend = XenPath.domain(domain) + "/device/" + UsbIfWire.frontendDeviceType + "/" + String(devid)
        let root = XenPath.backendRoot(backend: backendDomain, type: UsbIfWire.deviceType)
        if try store.read(root) == nil {
            try store.mkdir(root)
            try store.setPermissions(root, [XenStorePermission(domain: backendDomain, access: .none)])
        }
        let count = Int(XenPath.parseUInt32(numPorts) ?? 0)
        let committed = try store.inTransaction { (t: XenTransaction) throws(XenError) in
            try store.mkdir(frontend, transaction: t)
            try store.setPermissions(frontend, [XenStorePermission(domain: domain, access: .none),
                                                XenStorePermission(domain: backendDomain, access: .read)], transaction: t)
            try store.write(XenPath.join(frontend, "backend"), backend, transaction: t)
            try store.write(XenPath.join(frontend, "backend-id"), backendDomain.description, transaction: t)
            try store.write(XenPath.join(frontend, "state"), XenbusState.initialising.nodeValue, transaction: t)
            try store.mkdir(backend, transaction: t)
            try store.setPermissions(backend, [XenStorePermission(domain: backendDomain, access: .none),
                                               XenStorePermission(domain: domain, access: .read)], transaction: t)
            try store.write(XenPath.join(backend, "frontend"), frontend, transaction: t)
            try store.write(XenPath.join(backend, "frontend-id"), domain.description, transaction: t)
            try store.write(XenPath.join(backend, "online"), "1", transaction: t)
            try store.write(XenPath.join(backend, "state"), XenbusState.initialising.nodeValue, transaction: t)
            try store.write(XenPath.join(backend, "type"), "qusb", transaction: t)
            try store.write(XenPath.join(backend, UsbIfWire.fieldUsbVersion), usbVersion, transaction: t)
            try store.write(XenPath.join(backend, UsbIfWire.fieldNumPorts), numPorts, transaction: t)
            try store.write(XenPath.join(backend, UsbIfWire.fieldPort), "", transaction: t)
            for port in 0..<min(count, UsbIfWire.maxPorts) {
                try store.write(XenPath.join(backend, "port/" + String(port + 1)), ports[port + 1] ?? "", transaction: t)
            }
        }
        if !committed { throw .storeTransactionFailed(errno: 11) }
        return try SimulatedUsbFrontend(simulator: simulator, domain: domain, frontendPath: frontend)
    }

    /// Assigns a host device to a port (`xl usbdev-attach`) or empties it ("").
    package func assign(domain: DomainID, devid: UInt32 = 0, port: Int, busID: String) throws(XenError) {
        try toolstack.store.write(XenPath.join(backendPath(frontend: domain, devid: devid), "port/" + String(port)), busID)
    }

    /// The backend's state node of a controller.
    package func backendState(frontend: DomainID, devid: UInt32 = 0) -> XenbusState? {
        guard let text = toolstack.read(XenPath.join(backendPath(frontend: frontend, devid: devid), "state")) else { return nil }
        return XenbusState(node: text)
    }

    /// The backend's device serving a controller.
    package func device(frontend: DomainID, devid: UInt32 = 0) -> UsbDevice<SimulatedPlatform, RecordingUSBHost>? {
        backend.backend.device(frontend: frontend, name: String(devid))
    }
}
