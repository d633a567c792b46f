// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore

/// XENSND_OP_HW_PARAM_QUERY and the volume operations (SET/GET_VOLUME,
/// MUTE/UNMUTE), which exchange their values through the shared buffer.
@Suite struct ControlTests {
    @Test func queryAnswersTheDeviceRangesNarrowedByConfigAndRequest() throws {
        let fixture = try SndFixture()
        let wanted = PCMRanges(formats: UInt64.max, rates: PCMInterval(min: 0, max: 96000), channels: PCMInterval(min: 1, max: 8),
                               bufferFrames: PCMInterval(min: 128, max: 1_000_000), periodFrames: .any)
        let response = try fixture.request(fixture.playback, SndIfWire.opHwParamQuery, .query(wanted))
        #expect(response.status == 0)
        let ranges = try #require(response.ranges)
        // Device: s16/s32, 8–192 kHz, 1–8 ch, 64–65536 buffer frames; config: 44.1/48 kHz, 1–2 ch.
        #expect(ranges.formats == PCMFormat.s16LE.maskBit | PCMFormat.s32LE.maskBit)
        #expect(ranges.rates == PCMInterval(min: 44100, max: 48000))
        #expect(ranges.channels == PCMInterval(min: 1, max: 2))
        #expect(ranges.bufferFrames == PCMInterval(min: 128, max: 65536))
        #expect(ranges.periodFrames == PCMInterval(min: 16, max: 32768))
        #expect(fixture.playbackDevice.calls == ["query"])
    }

    @Test func queryOutsideEveryRangeAnswersEINVAL() throws {
        let fixture = try SndFixture()
        var wanted = PCMRanges.unrestricted
        wanted.rates = PCMInterval(min: 8000, max: 11025)
        #expect(try fixture.status(fixture.playback, SndIfWire.opHwParamQuery, .query(wanted)) == -22)
        wanted = PCMRanges.unrestricted
        wanted.formats = PCMFormat.f64LE.maskBit
        #expect(try fixture.status(fixture.playback, SndIfWire.opHwParamQuery, .query(wanted)) == -22)
        wanted = PCMRanges.unrestricted
        wanted.bufferFrames = PCMInterval(min: 100_000, max: 200_000)  // device holds at most 65536
        #expect(try fixture.status(fixture.playback, SndIfWire.opHwParamQuery, .query(wanted)) == -22)
    }

    @Test func queryDeviceFailureAnswersENODEV() throws {
        let fixture = try SndFixture()
        fixture.playbackDevice.failNext(.query, errno: 19)
        #expect(try fixture.status(fixture.playback, SndIfWire.opHwParamQuery, .query(.unrestricted)) == -19)
    }

    @Test func setAndGetVolumeGoThroughTheBuffer() throws {
        let fixture = try SndFixture()
        let buffer = try fixture.open(fixture.playback, bufferBytes: 8192)
        let levels: [Int32] = [-1200, 350]
        var bytes: [UInt8] = []
        for level in levels { withUnsafeBytes(of: level.littleEndian) { bytes.append(contentsOf: $0) } }
        bytes.withUnsafeBytes { buffer.write($0, at: 4096) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opSetVolume, .range(offset: 4096, length: 8)) == 0)
        #expect(fixture.playbackDevice.levels == levels)
        #expect(try fixture.status(fixture.playback, SndIfWire.opGetVolume, .range(offset: 100, length: 8)) == 0)
        #expect(buffer.read(at: 100, count: 8) == bytes)
    }

    @Test func tooLoudAVolumeAnswersEINVALAndKeepsTheLevels() throws {
        let fixture = try SndFixture()
        let buffer = try fixture.open(fixture.playback, bufferBytes: 8192)
        var bytes: [UInt8] = []
        for level: Int32 in [0, SoftwareGain.maximumLevel + 1] { withUnsafeBytes(of: level.littleEndian) { bytes.append(contentsOf: $0) } }
        bytes.withUnsafeBytes { buffer.write($0, at: 0) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opSetVolume, .range(offset: 0, length: 8)) == -22)
        #expect(fixture.playbackDevice.levels.allSatisfy { $0 == 0 })
    }

    @Test func muteAndUnmuteSelectChannels() throws {
        let fixture = try SndFixture()
        let buffer = try fixture.open(fixture.playback, bufferBytes: 8192)
        [UInt8(1), 0].withUnsafeBytes { buffer.write($0, at: 0) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opMute, .range(offset: 0, length: 2)) == 0)
        #expect(fixture.playbackDevice.muted == [true, false])
        [UInt8(1), 1].withUnsafeBytes { buffer.write($0, at: 0) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opMute, .range(offset: 0, length: 2)) == 0)
        [UInt8(0), 7].withUnsafeBytes { buffer.write($0, at: 0) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opUnmute, .range(offset: 0, length: 2)) == 0)
        #expect(fixture.playbackDevice.muted == [true, false])
    }

    static let badVolumes: [(UInt8, UInt32, UInt32, Int32)] = [
        (SndIfWire.opSetVolume, 0, 4, -22),  // one level for two channels
        (SndIfWire.opGetVolume, 0, 12, -22),
        (SndIfWire.opMute, 0, 1, -22),
        (SndIfWire.opUnmute, 0, 3, -22),
        (SndIfWire.opSetVolume, 8190, 8, -22),  // past the end
        (SndIfWire.opMute, UInt32.max, 2, -22),
    ]

    @Test(arguments: badVolumes)
    func badVolumeRangesAnswerEINVAL(operation: UInt8, offset: UInt32, length: UInt32, status: Int32) throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 8192)
        #expect(try fixture.status(fixture.playback, operation, .range(offset: offset, length: length)) == status)
        #expect(fixture.playbackDevice.calls.count == 1)  // only the open
    }

    @Test func volumeBeforeOpenAnswersEBADF() throws {
        let fixture = try SndFixture()
        for operation in [SndIfWire.opSetVolume, SndIfWire.opGetVolume, SndIfWire.opMute, SndIfWire.opUnmute] {
            #expect(try fixture.status(fixture.playback, operation, .range(offset: 0, length: 8)) == -9)
        }
    }

    @Test func volumeDeviceFailureAnswersEIO() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback)
        fixture.playbackDevice.failNext(.volume, errno: 5)
        #expect(try fixture.status(fixture.playback, SndIfWire.opSetVolume, .range(offset: 0, length: 8)) == -5)
    }

    @Test func deviceWithoutVolumeAnswersEOPNOTSUPP() throws {
        let device = NullPCMDevice(direction: .playback)
        #expect(throws: SndIfError.volumeUnsupported(device: "null")) { try device.setVolume([0, 0]) }
        #expect(SndIfError.volumeUnsupported(device: "null").status == -95)
    }
}
