// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore

/// Several controllers on one backend, and one controller across reconnects.
@Suite struct MultiControllerTests {
    func connectedController(_ scenario: UsbScenario, domain: DomainID, ports: [Int: String]) throws -> SimulatedUsbFrontend {
        let frontend = try scenario.addController(domain: domain, ports: ports)
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        return frontend
    }

    @Test func completionsGoToTheControllerThatAsked() throws {
        let scenario = UsbScenario()
        scenario.host.plug(UsbBusID("1-1")!)
        scenario.host.plug(UsbBusID("1-2")!)
        try scenario.start()
        let first = try connectedController(scenario, domain: DomainID(2), ports: [1: "1-1"])
        let second = try connectedController(scenario, domain: DomainID(3), ports: [1: "1-2"])
        let getDescriptor = UsbFixture.setup(0x80, UsbIfWire.requestGetDescriptor)
        try first.submit(UrbRequest(id: 7, pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: true, type: .control), specific: getDescriptor))
        try second.submit(UrbRequest(id: 7, pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: true, type: .control), specific: getDescriptor))
        try scenario.run()
        #expect(scenario.host.inFlight.count == 2)
        let secondToken = try #require(scenario.host.inFlight.first { scenario.host.opened[$0.device] == UsbBusID("1-2") }).token
        scenario.host.complete(secondToken, status: .stall)
        try scenario.run()
        #expect(try first.responses().isEmpty)
        #expect(try second.responses() == [UrbResponse(id: 7, status: UsbStatus.stall.rawValue)])
    }

    @Test func aDeviceServesOnePortOnly() throws {
        let scenario = UsbScenario()
        scenario.host.plug(UsbBusID("1-1")!)
        try scenario.start()
        let first = try connectedController(scenario, domain: DomainID(2), ports: [1: "1-1"])
        let second = try connectedController(scenario, domain: DomainID(3), ports: [2: "1-1"])
        #expect(try first.connEvents().count == 1)
        #expect(try second.connEvents().isEmpty)
        #expect(scenario.log.contains { $0.contains("Unable to open USB device 1-1") })
    }

    @Test func reconnectAnnouncesDevicesAgainAndForgetsAddresses() throws {
        let fixture = try UsbFixture()
        #expect(fixture.device.port(address: fixture.address) == 1)
        try fixture.frontend.bus.setState(.closing)
        try fixture.scenario.run()
        try fixture.frontend.bus.setState(.closed)
        try fixture.scenario.run()
        fixture.frontend.release()
        try fixture.frontend.bus.setState(.initialising)
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .initWait)
        try fixture.frontend.connect()
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .connected)
        #expect(try fixture.frontend.connEvents().map { [$0.port, $0.speed] } == [[1, UsbSpeed.high.rawValue]])
        #expect(fixture.device.port(address: fixture.address) == 0)
        #expect(fixture.host.opened.count == 1)
    }
}
