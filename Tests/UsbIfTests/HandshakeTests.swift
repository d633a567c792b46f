// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore
import XenSimulator

/// The xenbus handshake of a qusb controller as Linux's xen-hcd drives it,
/// and the controller topology read from the backend nodes libxl writes.
@Suite struct HandshakeTests {
    let guest = DomainID(2)

    @Test func frontendJumpingFromInitialisingToConnectedIsServed() throws {
        let scenario = UsbScenario()
        scenario.host.plug(UsbBusID("1-2")!, speed: .full)
        try scenario.start()
        let frontend = try scenario.addController(domain: guest, numPorts: "4", ports: [3: "1-2"])
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .initWait)
        #expect(scenario.device(frontend: guest)?.numPorts == 4)
        try frontend.connect(state: .connected)  // 1 → 4, never 3
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .connected)
        #expect(try frontend.connEvents() == [UsbConnEvent(id: 0, port: 3, speed: UsbSpeed.full.rawValue)])
    }

    @Test func frontendGoingThroughInitialisedIsServed() throws {
        let scenario = UsbScenario()
        try scenario.start()
        let frontend = try scenario.addController(domain: guest)
        try scenario.run()
        try frontend.connect(state: .initialised)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .connected)
        #expect(try frontend.connEvents().isEmpty)
    }

    @Test func frontendClosingClosesAndReleasesEverything() throws {
        let scenario = UsbScenario()
        scenario.host.plug(UsbBusID("1-1")!)
        try scenario.start()
        let frontend = try scenario.addController(domain: guest, ports: [1: "1-1"])
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        #expect(scenario.simulator.liveMappingCount == 2)
        try frontend.bus.setState(.closing)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closing)
        #expect(scenario.simulator.liveMappingCount == 0)
        try frontend.bus.setState(.closed)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closed)
        try frontend.bus.setState(.initialising)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .initWait)
    }

    @Test func shutdownClosesHostDevices() throws {
        let scenario = UsbScenario()
        scenario.host.plug(UsbBusID("1-1")!)
        try scenario.start()
        _ = try scenario.addController(domain: guest, ports: [1: "1-1"])
        try scenario.run()
        #expect(scenario.host.opened.count == 1)
        scenario.backend.shutdown()
        #expect(scenario.host.opened.isEmpty)
        #expect(scenario.backendState(frontend: guest) == .closed)
    }

    @Test(arguments: [("0", "2"), ("32", "2"), ("x", "2"), ("8", "3"), ("8", "0"), ("8", "")])
    func invalidTopologyClosesTheController(numPorts: String, usbVersion: String) throws {
        let scenario = UsbScenario()
        try scenario.start()
        _ = try scenario.addController(domain: guest, numPorts: numPorts, usbVersion: usbVersion)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closing)
    }

    @Test(arguments: ["urb-ring-ref", "conn-ring-ref", "event-channel"])
    func missingFrontendNodeClosesTheController(node: String) throws {
        let scenario = UsbScenario()
        try scenario.start()
        let frontend = try scenario.addController(domain: guest)
        try scenario.run()
        try frontend.connect(state: .initialising)
        try frontend.bus.remove(node)
        try frontend.bus.setState(.connected)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closing)
        #expect(scenario.simulator.liveMappingCount == 0)
    }

    @Test func badRingGrantClosesTheController() throws {
        let scenario = UsbScenario()
        try scenario.start()
        let frontend = try scenario.addController(domain: guest)
        try scenario.run()
        try frontend.connect(state: .initialising)
        try frontend.bus.write(UsbIfWire.fieldConnRingRef, "999999")
        try frontend.bus.setState(.connected)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closing)
        #expect(scenario.simulator.liveMappingCount == 0)
    }

    @Test func deviceOnAnotherBusIsNotAttached() throws {
        let scenario = UsbScenario(options: UsbIfOptions(buses: [1]))
        scenario.host.plug(UsbBusID("2-1")!)
        try scenario.start()
        let frontend = try scenario.addController(domain: guest, ports: [1: "2-1"])
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        #expect(try frontend.connEvents().isEmpty)
        #expect(scenario.host.opened.isEmpty)
        #expect(scenario.log.contains { $0.contains("bus 2 is not the bound controller's") })
    }

    @Test func highSpeedDeviceIsRefusedOnAUSB11Controller() throws {
        let scenario = UsbScenario()
        scenario.host.plug(UsbBusID("1-1")!, speed: .high)
        try scenario.start()
        let frontend = try scenario.addController(domain: guest, usbVersion: "1", ports: [1: "1-1"])
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        #expect(try frontend.connEvents().isEmpty)
        #expect(scenario.host.opened.isEmpty)
    }

    @Test func malformedBusIDIsLoggedAndIgnored() throws {
        let scenario = UsbScenario()
        try scenario.start()
        let frontend = try scenario.addController(domain: guest, ports: [2: "usb1"])
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .connected)
        #expect(scenario.log.contains { $0.contains("'usb1' is not a USB busid") })
    }
}
