// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore
import XenSimulator

/// What one vsnd frontend may make the backend do: not wake it 48,000 times a
/// second with a one-frame period, and not leave a grant mapping untracked
/// when an unmap fails.
@Suite struct GuestLimitsTests {
    /// A one-frame period is raised to the floor (1 ms of frames) before the
    /// device is configured, so timers never run faster than 1 kHz.
    @Test func periodTimeHasAFloorOfOneMillisecond() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 16384, periodBytes: 4)
        let params = try #require(fixture.playbackDevice.params)
        #expect(params.periodFrames >= 48, "period of \(params.periodFrames) frame(s) at 48 kHz")
    }

    /// The floor is computed from the guest's rate without overflowing: an OPEN at
    /// 4,294,967,295 Hz (found by the sndif fuzz target: `rate + 999` trapped the
    /// backend) is answered, and the stream still opens normally afterwards. The card
    /// names no `sample-rates`, so every rate reaches the floor.
    @Test func openAtTheLargestRateIsAnsweredNotATrap() throws {
        let fixture = try SndFixture(card: SndFixture.card.filter { $0.key != "sample-rates" })
        let buffer = fixture.playback.allocateBuffer(byteCount: 16384)
        let status = try fixture.status(fixture.playback, SndIfWire.opOpen,
                                        .open(format: .s16LE, rate: UInt32.max, channels: 2, bufferBytes: 16384,
                                              directory: buffer.directory.rawValue, periodBytes: 4))
        #expect(status <= 0)
        try fixture.open(fixture.playback, bufferBytes: 16384, periodBytes: 4096)
        #expect(fixture.playbackDevice.params?.rate == 48000)
    }

    /// The backend's grant budget is shared by its guests with a cap per guest: a
    /// guest asking for more buffer pages than its share is refused (XEN_ENOMEM) and
    /// another guest still maps its own; a closed stream gives its pages back.
    @Test func oneGuestCannotTakeAnotherGuestsShareOfTheGrantBudget() throws {
        let budget = GrantBudget(totalPages: 40, pagesPerDomain: 20)
        let scenario = SndScenario(budget: budget)
        try scenario.start()
        let card = ["buffer-size": "65536"]
        let greedy = try scenario.addFrontend(domain: DomainID(2), card: card, pcms: [[SndStreamSpec(.playback, uniqueID: "a-pb"),
                                                                                         SndStreamSpec(.capture, uniqueID: "a-cap")]])
        let friend = try scenario.addFrontend(domain: DomainID(3), card: card, pcms: [[SndStreamSpec(.playback, uniqueID: "b-pb")]])
        try scenario.run()
        try greedy.connect(pcms: [[0, 1]])
        try friend.connect(pcms: [[0]])
        try scenario.run()
        try #require(budget.pages(of: DomainID(2)) <= 4 && budget.pages(of: DomainID(3)) <= 2, "rings took more pages than expected")
        func open(_ stream: SimulatedSndStream) throws -> Int32 {
            let buffer = stream.allocateBuffer(byteCount: 65536)  // 16 pages
            let id = try stream.send(SndRequest(id: 0, operation: SndIfWire.opOpen,
                                                body: .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: 65536,
                                                            directory: buffer.directory.rawValue, periodBytes: 4096)))
            try scenario.run()
            let answer = try #require(try stream.responses().first { $0.id == id })
            return answer.status
        }
        #expect(try open(greedy.streams[0]) == 0)
        #expect(try open(greedy.streams[1]) == -12, "the greedy guest mapped beyond its share")
        #expect(budget.pages(of: DomainID(2)) <= 20)
        #expect(try open(friend.streams[0]) == 0, "the other guest lost its share")
        let close = try greedy.streams[0].send(SndRequest(id: 0, operation: SndIfWire.opClose, body: .close))
        try scenario.run()
        #expect(try greedy.streams[0].responses().first { $0.id == close }?.status == 0)
        #expect(try open(greedy.streams[1]) == 0, "closing a stream did not give its pages back")
    }

    /// Position events follow the period the device negotiated (here raised
    /// to 1024 frames), not the guest's 256.
    @Test func positionEventsFollowTheNegotiatedPeriod() throws {
        let fixture = try SndFixture { device in device.periodGranularity = 1024 }
        let buffer = try fixture.open(fixture.playback, bufferBytes: 16384, periodBytes: 1024)
        #expect(fixture.playbackDevice.params?.periodFrames == 1024)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        signal(16384).withUnsafeBytes { buffer.write($0, at: 0) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 16384)) == 0)
        _ = fixture.playback.positionEvents()
        for _ in 0..<8 {
            fixture.playbackDevice.advance(frames: 256)
            try fixture.scenario.run()
        }
        #expect(fixture.playback.positionEvents().count == 2)
    }

    /// A failed unmap keeps the mapping tracked: the link retries it at
    /// teardown and nothing leaks.
    @Test func failedUnmapStaysTrackedUntilItSucceeds() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback)
        fixture.scenario.simulator.faults.failNext(.grantUnmap, errno: 16)
        #expect(try fixture.status(fixture.playback, SndIfWire.opClose, .close) == 0)
        #expect(fixture.scenario.simulator.liveMappingCount > 0)
        try fixture.frontend.disconnect()
        try fixture.scenario.run()
        #expect(fixture.scenario.simulator.leakReport().isEmpty, "\(fixture.scenario.simulator.leakReport())")
    }
}
