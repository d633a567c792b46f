// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore
import XenSimulator

/// Topology, connect, teardown and reconnect of a vsnd card.
@Suite struct HandshakeTests {
    @Test func connectsEveryStreamWithItsBinding() throws {
        let fixture = try SndFixture()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .connected)
        let streams = try #require(fixture.device?.streams)
        #expect(streams.count == 2)
        #expect(streams[0].config.direction == .playback)
        #expect(streams[0].config.uniqueID == "pb")
        #expect(streams[1].config.direction == .capture)
        #expect(streams[1].config.rates == [44100, 48000])
        #expect(streams[1].config.bufferLimit == 65536)
        #expect(fixture.playbackDevice.direction == .playback)
        #expect(fixture.captureDevice.direction == .capture)
        #expect(fixture.frontend.bus.readBackend(SndIfWire.fieldVersions) == "2")
        // Ring and event page of both streams.
        #expect(fixture.scenario.simulator.liveMappingCount == 4)
    }

    @Test func teardownReleasesEveryMapping() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 3 * 4096)
        try fixture.open(fixture.capture, bufferBytes: 4096)
        #expect(fixture.scenario.simulator.liveMappingCount == 6)
        try fixture.frontend.disconnect()
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .closed)
        #expect(fixture.scenario.simulator.leakReport().isEmpty, "\(fixture.scenario.simulator.leakReport())")
        #expect(fixture.playbackDevice.calls.last == "close")
    }

    @Test func domainDestroyedMidStreamLeaksNothing() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        try fixture.scenario.toolstack.destroyDomain(fixture.domain)
        try fixture.scenario.run()
        #expect(fixture.scenario.simulator.leakReport().isEmpty, "\(fixture.scenario.simulator.leakReport())")
        #expect(fixture.scenario.backend.devices.isEmpty)
    }

    @Test func reconnectsAfterClose() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback)
        try fixture.frontend.disconnect()
        try fixture.scenario.run()
        fixture.frontend.release()
        try fixture.frontend.bus.setState(.initialising)
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .initWait)
        try fixture.frontend.connect(pcms: [[0, 1]])
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .connected)
        let buffer = try fixture.open(fixture.playback, bufferBytes: 4096)
        let data = signal(4096)
        data.withUnsafeBytes { buffer.write($0, at: 0) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 4096)) == 0)
        #expect(fixture.scenario.provider.devices["pb"]!.written == data)
        fixture.scenario.backend.shutdown()
        try fixture.scenario.run()
        #expect(fixture.scenario.simulator.leakReport().isEmpty)
    }

    @Test func unboundStreamRefusesTheCard() throws {
        let scenario = SndScenario()
        try scenario.start()
        try scenario.bind(domain: DomainID(2), uniqueID: "pb", direction: .playback)
        let frontend = try scenario.addFrontend(domain: DomainID(2), pcms: [[SndStreamSpec(.playback, uniqueID: "pb"),
                                                                              SndStreamSpec(.capture, uniqueID: "cap")]],
                                                bind: false)
        try scenario.run()
        try frontend.connect(pcms: [[0, 1]])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing)
        #expect(scenario.log.contains { $0.contains("No PCM is bound to capture stream 'cap' of guest 'guest2'") })
        #expect(scenario.simulator.leakReport().isEmpty)
    }

    @Test(arguments: [("type", "x"), ("ring-ref", "abc"), ("evt-event-channel", "")])
    func badTopologyRefusesTheCard(key: String, value: String) throws {
        let scenario = SndScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), pcms: [[SndStreamSpec(.playback, uniqueID: "pb")]])
        try scenario.run()
        try frontend.connect(pcms: [[0]])
        try frontend.bus.write("0/0/" + key, value)
        try frontend.bus.setState(.connected)
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing)
        #expect(scenario.simulator.leakReport().isEmpty)
    }

    @Test func cardWithoutStreamsIsRefused() throws {
        let scenario = SndScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), pcms: [])
        try scenario.run()
        try frontend.connect(pcms: [])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing)
    }
}
