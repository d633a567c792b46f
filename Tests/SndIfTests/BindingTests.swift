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

    /// The guest writes its stream's unique-id "é" decomposed (e + U+0301)
    /// where the image bound it precomposed: Unicode calls them equal, the
    /// backend compares bytes (as xenstored does) and refuses the card.
    @Test func uniqueIDMustMatchTheBindingByteForByte() throws {
        let scenario = SndScenario()
        try scenario.start()
        try scenario.bind(domain: DomainID(2), uniqueID: "caf\u{E9}", direction: .playback)
        let frontend = try scenario.addFrontend(domain: DomainID(2), pcms: [[SndStreamSpec(.playback, uniqueID: "cafe\u{301}")]],
                                                bind: false)
        try scenario.run()
        try frontend.connect(pcms: [[0]])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .closing)
        #expect(scenario.provider.history.isEmpty)
    }

    /// `sample-rates` and `sample-formats` are guest-written lists split on
    /// the byte ",": empty items are skipped, anything else that is not a
    /// number or a format name (a combining mark after the comma, digits of
    /// another script, a name in another case) refuses the card.
    @Test(arguments: [("sample-rates", "44100,,48000,", true), ("sample-rates", "44100,\u{301}48000", false),
                      ("sample-rates", "44100,\u{FF14}8000", false), ("sample-rates", "\u{FF}", false),
                      ("sample-formats", "s16_le,,s32_le", true), ("sample-formats", "s16_le,S16_LE", false),
                      ("sample-formats", "s16_le\u{301}", false)])
    func guestWrittenListsAreSplitOnBytes(key: String, value: String, connects: Bool) throws {
        var card = SndFixture.card
        card[key] = value
        let fixture = try SndFixture(card: card)
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == (connects ? .connected : .closing))
    }
}
