// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore

/// XENSND_OP_TRIGGER: one test per transition of `SndStream`'s state machine,
/// and the refused ones.
@Suite struct TriggerTests {
    typealias State = SndStream<RecordingPCMDevice>.State

    /// Brings the playback stream to `state` through valid triggers.
    func fixture(in state: State) throws -> SndFixture {
        let fixture = try SndFixture()
        if state == .closed { return fixture }
        try fixture.open(fixture.playback)
        if state == .prepared { return fixture }
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        if state == .running { return fixture }
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerPause) == 0)
        return fixture
    }

    static let allowed: [(State, UInt8, State, String)] = [
        (.prepared, SndIfWire.triggerStart, .running, "start"),
        (.running, SndIfWire.triggerPause, .paused, "pause"),
        (.paused, SndIfWire.triggerResume, .running, "resume"),
        (.running, SndIfWire.triggerStop, .prepared, "stop"),
        (.paused, SndIfWire.triggerStop, .prepared, "stop"),
    ]

    @Test(arguments: allowed)
    func transition(from: State, trigger: UInt8, to: State, call: String) throws {
        let fixture = try fixture(in: from)
        #expect(try fixture.trigger(fixture.playback, trigger) == 0)
        #expect(fixture.backendStream.state == to)
        #expect(fixture.playbackDevice.calls.last == call)
    }

    static let refused: [(State, UInt8)] = [
        (.prepared, SndIfWire.triggerPause), (.prepared, SndIfWire.triggerResume), (.prepared, SndIfWire.triggerStop),
        (.running, SndIfWire.triggerStart), (.running, SndIfWire.triggerResume),
        (.paused, SndIfWire.triggerStart), (.paused, SndIfWire.triggerPause),
    ]

    @Test(arguments: refused)
    func wrongStateAnswersEPERM(from: State, trigger: UInt8) throws {
        let fixture = try fixture(in: from)
        let callsBefore = fixture.playbackDevice.calls
        #expect(try fixture.trigger(fixture.playback, trigger) == -1)
        #expect(fixture.backendStream.state == from)
        #expect(fixture.playbackDevice.calls == callsBefore)
    }

    @Test func triggerBeforeOpenAnswersEBADF() throws {
        let fixture = try SndFixture()
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == -9)
    }

    @Test(arguments: [UInt8(4), 9, 255])
    func unknownTriggerAnswersEOPNOTSUPP(type: UInt8) throws {
        let fixture = try fixture(in: .prepared)
        #expect(try fixture.trigger(fixture.playback, type) == -95)
    }

    @Test func deviceTriggerFailureAnswersEIOAndKeepsTheState() throws {
        let fixture = try fixture(in: .prepared)
        fixture.playbackDevice.failNext(.start, errno: 77)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == -5)
        #expect(fixture.backendStream.state == .prepared)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
    }
}

/// XENSND_EVT_CUR_POS: one event each time the position crosses a period, none
/// while paused, none when the period is 0, counting on across stop/start.
@Suite struct PositionEventTests {
    /// Playback, 4096-byte period (1024 S16 stereo frames), 16384-byte buffer, started with the buffer written.
    func running() throws -> SndFixture {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 16384, periodBytes: 4096)
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 16384)) == 0)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        return fixture
    }

    @Test func oneEventPerPeriod() throws {
        let fixture = try running()
        #expect(fixture.playback.positionEvents().isEmpty)
        fixture.playbackDevice.advance(frames: 1000)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents().isEmpty, "less than a period played")
        fixture.playbackDevice.advance(frames: 24)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents() == [4096])
        fixture.playbackDevice.advance(frames: 1024)
        try fixture.scenario.run()
        fixture.playbackDevice.advance(frames: 1024)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents() == [8192, 12288])
    }

    @Test func noEventsWhilePaused() throws {
        let fixture = try running()
        fixture.playbackDevice.advance(frames: 1024)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents() == [4096])
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerPause) == 0)
        fixture.playbackDevice.advance(frames: 2048)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents().isEmpty)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerResume) == 0)
        fixture.playbackDevice.advance(frames: 1024)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents() == [8192])
    }

    @Test func positionCountsOnAcrossStopAndStart() throws {
        let fixture = try running()
        fixture.playbackDevice.advance(frames: 2048)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents() == [8192])
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStop) == 0)
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 8192)) == 0)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        fixture.playbackDevice.advance(frames: 1000)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents().isEmpty)
        fixture.playbackDevice.advance(frames: 24)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents() == [12288])
        // A new OPEN starts counting from 0 again.
        try fixture.open(fixture.playback, bufferBytes: 16384, periodBytes: 4096)
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 8192)) == 0)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        fixture.playbackDevice.advance(frames: 1024)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents() == [4096])
    }

    @Test func zeroPeriodSendsNoEvents() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 8192, periodBytes: 0)
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 8192)) == 0)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        fixture.playbackDevice.advance(frames: 2048)
        try fixture.scenario.run()
        #expect(fixture.playback.positionEvents().isEmpty)
    }

    @Test func fullEventRingDropsAndCountsWithoutClosing() throws {
        let fixture = try SndFixture { $0.consumeOnWrite = true }
        try fixture.open(fixture.playback, bufferBytes: 4096, periodBytes: 192)  // 48 frames: 1 ms, the shortest period
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        // Never consume events: after 63 the ring is full.
        for _ in 0..<100 {
            #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 192)) == 0)
        }
        #expect(fixture.backendStream.positionEventsSent == Int(SndIfWire.eventRingLength))
        #expect(fixture.backendStream.positionEventsDropped == 100 - Int(SndIfWire.eventRingLength))
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .connected)
        #expect(fixture.playback.positionEvents().count == Int(SndIfWire.eventRingLength))
    }

    @Test func impossibleEventConsumerClosesTheFrontend() throws {
        let fixture = try running()
        SharedMemory.store32(fixture.playback.eventPage + SndIfWire.eventInConsOffset, 1000)
        fixture.playbackDevice.advance(frames: 1024)
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .closing)
        #expect(fixture.scenario.simulator.liveMappingCount == 0)
    }
}
