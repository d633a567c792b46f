// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore
import XenSimulator

/// The xenbus handshake as xen-drm-front drives it (E2E.md): backend InitWait
/// with `versions`; the frontend publishes each connector's rings and goes
/// Initialised; the backend maps them and goes Connected; teardown releases all.
@Suite struct HandshakeTests {
    @Test func publishesVersionsAndWaitsForTheFrontend() throws {
        let scenario = DisplScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), connectors: [("c0", "1024x768")])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .initWait)
        #expect(frontend.bus.readBackend(DisplIfWire.fieldVersions) == "1,2")
        #expect(scenario.simulator.liveMappingCount == 0)
    }

    @Test func connectsEveryConnectorWithItsBinding() throws {
        let fixture = try DisplFixture()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .connected)
        let device = try #require(fixture.device)
        #expect(device.connectors.count == 2)
        #expect(device.connectors[0].spec == DisplConnectorSpec(index: 0, uniqueID: "left", width: 64, height: 48, output: "Virtual-1"))
        #expect(device.connectors[1].spec == DisplConnectorSpec(index: 1, uniqueID: "right", width: 32, height: 24, output: "HDMI-A-1"))
        #expect(fixture.scenario.simulator.liveMappingCount == 4)  // two rings, two event pages
        #expect(device.version == 2)
    }

    @Test func closingFrontendReleasesEveryMappingAndTurnsOutputsOff() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        try fixture.createBuffer(cookie: 2, width: 32, height: 24)
        #expect(fixture.scenario.simulator.liveMappingCount == 6)
        try fixture.frontend.disconnect()
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .closed)
        #expect(fixture.scenario.simulator.leakReport().isEmpty)
        #expect(fixture.sink.calls.last == "disable Virtual-1")
        #expect(fixture.device?.buffers.isEmpty == true)
    }

    @Test func reconnectsAfterTheFrontendComesBack() throws {
        let fixture = try DisplFixture()
        try fixture.frontend.disconnect()
        try fixture.scenario.run()
        fixture.frontend.release()
        try fixture.frontend.bus.setState(.initialising)
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .initWait)
        try fixture.frontend.connect(connectors: 2)
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .connected)
        try fixture.createBuffer(cookie: 1, width: 8, height: 8)
    }

    @Test func shutdownReleasesEverything() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        fixture.scenario.backend.shutdown()
        try fixture.scenario.run()
        #expect(fixture.scenario.simulator.leakReport().isEmpty)
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .closed)
    }

    @Test func destroyedDomainRetiresTheDeviceAndRemovesItsNodes() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        try fixture.scenario.toolstack.destroyDomain(fixture.domain)
        try fixture.scenario.run()
        #expect(fixture.scenario.simulator.leakReport().isEmpty)
        #expect(fixture.scenario.backend.devices.isEmpty)
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == nil)
    }

    @Test func backendAllocationIsNegotiatedFromBeAlloc() throws {
        let scenario = DisplScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), backendAlloc: true, connectors: [("c0", "64x48")])
        try scenario.run()
        try frontend.connect(connectors: 1)
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
        #expect(scenario.device(frontend: DomainID(2))?.backendAllocRequested == true)
    }

    /// Each broken topology closes the frontend (Closing) without a leak.
    @Test(arguments: [
        ("missing resolution", [("c0", "")], 1, { @Sendable (_: SimulatedDisplFrontend) in }),
        ("resolution not WxH", [("c0", "1024*768")], 1, { @Sendable (_: SimulatedDisplFrontend) in }),
        ("resolution of zero", [("c0", "0x768")], 1, { @Sendable (_: SimulatedDisplFrontend) in }),
        ("resolution too large", [("c0", "100000x768")], 1, { @Sendable (_: SimulatedDisplFrontend) in }),
        ("missing ring reference", [("c0", "64x48")], 1, { @Sendable (f: SimulatedDisplFrontend) in try? f.bus.remove("0/req-ring-ref") }),
        ("event channel not a number", [("c0", "64x48")], 1, { @Sendable (f: SimulatedDisplFrontend) in try? f.bus.write("0/evt-event-channel", "x") }),
        ("bad grant reference", [("c0", "64x48")], 1, { @Sendable (f: SimulatedDisplFrontend) in try? f.bus.write("0/evt-ring-ref", "999999") }),
        ("unknown protocol version", [("c0", "64x48")], 1, { @Sendable (f: SimulatedDisplFrontend) in try? f.bus.write("version", "3") }),
    ] as [(String, [(String, String)], Int, @Sendable (SimulatedDisplFrontend) -> Void)])
    func brokenTopologyClosesTheFrontend(_ name: String, _ connectors: [(String, String)], _ count: Int,
                                         _ spoil: @Sendable (SimulatedDisplFrontend) -> Void) throws {
        let scenario = DisplScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), connectors: connectors.map { (uniqueID: $0.0, resolution: $0.1) })
        if connectors[0].1.isEmpty { try frontend.bus.remove("0/resolution") }
        try scenario.run()
        try frontend.connect(connectors: count)
        spoil(frontend)
        try frontend.bus.setState(.initialised)
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing, "\(name)")
        #expect(scenario.simulator.liveMappingCount == 0, "\(name)")
    }

    @Test func connectorsMustBeContiguousFromZero() throws {
        let scenario = DisplScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), connectors: [("c0", "64x48")])
        try scenario.toolstack.store.write(frontend.bus.frontendPath + "/2/resolution", "64x48")
        try scenario.run()
        try frontend.connect(connectors: 1)
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing)
        #expect(scenario.log.contains { $0.contains("not contiguous") })
    }

    @Test func tooManyConnectorsAreRefused() throws {
        var options = DisplIfOptions()
        options.maxConnectors = 2
        let scenario = DisplScenario(options: options)
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), connectors: [("a", "8x8"), ("b", "8x8"), ("c", "8x8")])
        try scenario.run()
        try frontend.connect(connectors: 3)
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing)
        #expect(scenario.simulator.liveMappingCount == 0)
    }

    @Test func versionOneIsAccepted() throws {
        let fixture = try DisplFixture(version: "1")
        #expect(fixture.device?.version == 1)
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .connected)
    }
}
