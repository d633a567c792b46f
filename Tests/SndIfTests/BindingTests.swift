// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore
import XenSimulator

/// A stream is served only if the image binds (guest, unique-id, direction):
/// the frontend-writable `unique-id` alone selects nothing.
@Suite struct BindingTests {
    /// A playback-only guest adds a capture stream to its card (its own
    /// frontend directory is writable to it) to record the board's microphone.
    @Test func playbackOnlyGuestCannotAddACaptureStream() throws {
        let scenario = SndScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), pcms: [[SndStreamSpec(.playback, uniqueID: "pb")]])
        try scenario.run()
        try frontend.bus.write("0/1/type", "c")
        try frontend.bus.write("0/1/unique-id", "pb")
        try frontend.connect(pcms: [[0, 1]])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing)
        #expect(scenario.provider.history.allSatisfy { $0.direction == .playback })
        #expect(scenario.log.contains { $0.contains("No PCM is bound to capture stream 'pb' of guest 'guest2'") })
        #expect(scenario.simulator.leakReport().isEmpty)
    }

    /// Guest B names its stream like guest A's: it gets nothing, and A keeps its PCM.
    @Test func anotherGuestCannotClaimAStreamByItsUniqueID() throws {
        let scenario = SndScenario()
        try scenario.start()
        let owner = try scenario.addFrontend(domain: DomainID(2), pcms: [[SndStreamSpec(.playback, uniqueID: "pb")]])
        try scenario.run()
        try owner.connect(pcms: [[0]])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
        let made = scenario.provider.history.count
        let thief = try scenario.addFrontend(domain: DomainID(3), pcms: [[SndStreamSpec(.playback, uniqueID: "pb")]], bind: false)
        try scenario.run()
        try thief.connect(pcms: [[0]])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(3)) == .closing)
        #expect(scenario.provider.history.count == made)
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
        #expect(scenario.log.contains { $0.contains("playback stream 'pb' of guest 'guest3'") })
    }

    /// The binding is the guest's domain name, which the toolstack wrote: a
    /// guest whose name is unknown gets no stream at all.
    @Test func guestWithoutANameIsRefused() throws {
        let scenario = SndScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), pcms: [[SndStreamSpec(.playback, uniqueID: "pb")]])
        try scenario.toolstack.store.remove("/local/domain/2/name")
        try scenario.run()
        try frontend.connect(pcms: [[0]])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing)
        #expect(scenario.provider.history.isEmpty)
    }
}
