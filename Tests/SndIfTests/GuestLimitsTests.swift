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
