// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore

/// Devices arriving on and leaving assigned ports, and libxl assigning and
/// removing them (`xl usbdev-attach` / `usbdev-detach` write `port/N`).
@Suite struct HotplugTests {
    @Test func unplugAndReplugOnAnAssignedPortAreReported() throws {
        let fixture = try UsbFixture()
        fixture.host.unplug(UsbFixture.busID)
        try fixture.scenario.run()
        #expect(try fixture.frontend.connEvents().map { [$0.port, $0.speed] } == [[1, 0]])
        #expect(fixture.device.port(address: fixture.address) == 0)
        #expect(fixture.host.opened.isEmpty)
        fixture.host.plug(UsbFixture.busID, speed: .full)
        try fixture.scenario.run()
        #expect(try fixture.frontend.connEvents().map { [$0.port, $0.speed] } == [[1, UsbSpeed.full.rawValue]])
        #expect(fixture.host.opened.count == 1)
    }

    @Test func withoutHotplugHostEventsAreIgnored() throws {
        let fixture = try UsbFixture(options: UsbIfOptions(hotplug: false))
        fixture.host.unplug(UsbFixture.busID)
        try fixture.scenario.run()
        #expect(try fixture.frontend.connEvents().isEmpty)
    }

    @Test func assigningAndRemovingThroughXenstore() throws {
        let fixture = try UsbFixture()
        fixture.host.plug(UsbBusID("1-3")!, speed: .low)
        try fixture.scenario.run()
        #expect(try fixture.frontend.connEvents().isEmpty)  // not assigned to any port
        try fixture.scenario.assign(domain: fixture.domain, port: 4, busID: "1-3")
        try fixture.scenario.run()
        #expect(try fixture.frontend.connEvents().map { [$0.port, $0.speed] } == [[4, UsbSpeed.low.rawValue]])
        try fixture.scenario.assign(domain: fixture.domain, port: 1, busID: "")
        try fixture.scenario.run()
        #expect(try fixture.frontend.connEvents().map { [$0.port, $0.speed] } == [[1, 0]])
        #expect(fixture.host.opened.values.map { $0.description } == ["1-3"])
    }

    @Test func anAbsentDeviceIsTriedOnceThenAttachedWhenItArrives() throws {
        let fixture = try UsbFixture()
        try fixture.scenario.assign(domain: fixture.domain, port: 3, busID: "1-4")
        try fixture.scenario.run()
        let attempts = fixture.host.openAttempts
        for state in ["a", "b", "c"] {  // unrelated xenstore activity
            try fixture.scenario.toolstack.store.write(fixture.scenario.backendPath(frontend: fixture.domain) + "/note", state)
            try fixture.scenario.run()
        }
        #expect(fixture.host.openAttempts == attempts)
        #expect(fixture.scenario.log.filter { $0.contains("Unable to open USB device 1-4") }.count == 1)
        fixture.host.plug(UsbBusID("1-4")!, speed: .full)
        try fixture.scenario.run()
        #expect(try fixture.frontend.connEvents().map { [$0.port, $0.speed] } == [[3, UsbSpeed.full.rawValue]])
    }

    @Test func removingADeviceCancelsItsURBs() throws {
        let fixture = try UsbFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 512)
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: true, type: .bulk), bufferLength: 512,
                                            segments: buffer.segments)) == nil)
        try fixture.scenario.assign(domain: fixture.domain, port: 1, busID: "")
        try fixture.scenario.run()
        let responses = try fixture.frontend.responses()
        #expect(responses.count == 1 && responses[0].status == UsbStatus.shutdown.rawValue)
        #expect(fixture.host.cancelledTokens.count == 1)
        #expect(try fixture.frontend.connEvents().map { [$0.port, $0.speed] } == [[1, 0]])
        #expect(fixture.scenario.simulator.liveMappingCount == 2)
        #expect(fixture.host.opened.isEmpty)
    }

    @Test func eventsWaitForConnRequestsAndEchoTheirIds() throws {
        let fixture = try UsbFixture()
        let ring = try #require(fixture.frontend.connRing)
        #expect(ring.freeRequests == 0)  // every slot posted, as xen-hcd does
        fixture.host.unplug(UsbFixture.busID)
        fixture.host.plug(UsbFixture.busID)
        try fixture.scenario.run()
        let events = try fixture.frontend.connEvents()
        #expect(events.map { $0.id } == [1, 2])  // request 0 answered the first attach
        #expect(events.map { $0.speed } == [0, UsbSpeed.high.rawValue])
    }
}
