// SPDX-License-Identifier: GPL-2.0-only OR MIT
import ALSAPCM
import SndIf
import Testing

/// Volume and mute applied to samples (XENSND_OP_SET_VOLUME/GET_VOLUME/MUTE/UNMUTE
/// on a device without a hardware control).
@Suite struct SoftwareGainTests {
    private func s16(_ samples: [Int16]) -> [UInt8] {
        samples.flatMap { [UInt8(truncatingIfNeeded: UInt16(bitPattern: $0)), UInt8(truncatingIfNeeded: UInt16(bitPattern: $0) >> 8)] }
    }

    private func applied(_ gain: SoftwareGain, _ bytes: [UInt8], _ format: PCMFormat) -> [UInt8] {
        var copy = bytes
        copy.withUnsafeMutableBytes { gain.apply(to: $0, format: format) }
        return copy
    }

    @Test func unityLeavesSamplesAlone() {
        let gain = SoftwareGain(channels: 2)
        #expect(gain.isUnity)
        let bytes = s16([1000, -1000, 32767, -32768])
        #expect(applied(gain, bytes, .s16LE) == bytes)
    }

    @Test func minusSixDecibelsHalvesEachChannelIndependently() {
        var gain = SoftwareGain(channels: 2)
        #expect(gain.setLevels([-6021, 0]) == nil)  // 10^(-6.021/20) = 0.5
        #expect(gain.levels == [-6021, 0])
        #expect(applied(gain, s16([1000, 1000, -2000, -2000]), .s16LE) == s16([500, 1000, -1000, -2000]))
    }

    @Test func muteSilencesOnlyTheFlaggedChannelsAndUnmuteRestores() {
        var gain = SoftwareGain(channels: 2)
        gain.setMute([true, false], muted: true)
        #expect(applied(gain, s16([1234, 1234]), .s16LE) == s16([0, 1234]))
        #expect(applied(gain, [200, 200], .u8) == [128, 200], "unsigned silence is the midpoint")
        gain.setMute([true, true], muted: false)
        #expect(gain.isUnity)
    }

    @Test func loudLevelsClipAndTooLoudOnesAreRefused() {
        var gain = SoftwareGain(channels: 1)
        #expect(gain.setLevels([SoftwareGain.maximumLevel + 1]) == SoftwareGain.maximumLevel + 1)
        #expect(gain.isUnity, "a refused level changes nothing")
        #expect(gain.setLevels([SoftwareGain.maximumLevel]) == nil)
        #expect(applied(gain, s16([20000, -20000]), .s16LE) == s16([32767, -32768]))
    }

    @Test func levelsAtOrBelowTheSilenceLevelAreSilent() {
        var gain = SoftwareGain(channels: 1)
        _ = gain.setLevels([SoftwareGain.silenceLevel])
        #expect(applied(gain, s16([32767]), .s16LE) == s16([0]))
    }

    @Test func twentyFourBitSamplesKeepTheirSignAndPadding() {
        var gain = SoftwareGain(channels: 1)
        _ = gain.setLevels([-6021])
        // -0x100000 in s24 (0xF00000) with a padding byte 0xAB: about halved to -0x80000 (0xF80000).
        let result = applied(gain, [0x00, 0x00, 0xF0, 0xAB], .s24LE)
        #expect(result[3] == 0xAB, "the container's padding byte is kept")
        let value = Int32(bitPattern: (UInt32(result[0]) | UInt32(result[1]) << 8 | UInt32(result[2]) << 16) << 8) >> 8
        #expect(abs(value + 0x80000) < 0x80000 / 1000, "got \(value)")
    }

    @Test func floatsAndThirtyTwoBitSamplesScale() {
        var gain = SoftwareGain(channels: 1)
        _ = gain.setLevels([-6021])
        let one = Float(1).bitPattern
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: one >> UInt32($0 * 8)) }
        let result = applied(gain, bytes, .f32LE)
        let value = Float(bitPattern: result.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32($1.offset * 8) })
        #expect(abs(value - 0.5) < 0.0001)
        let scaled = applied(gain, [0, 0, 0, 0x40], .s32LE)
        let integer = Int32(bitPattern: scaled.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32($1.offset * 8) })
        #expect(abs(Int64(integer) - 0x2000_0000) < 0x2000_0000 / 1000, "got \(integer)")
    }

    @Test func compressedFormatsAreNotScaled() {
        #expect(!SoftwareGain.supports(.muLaw))
        #expect(!SoftwareGain.supports(.s16BE))
        var gain = SoftwareGain(channels: 1)
        _ = gain.setLevels([-6021])
        #expect(applied(gain, [1, 2, 3, 4], .muLaw) == [1, 2, 3, 4])
    }

    @Test func alsaDeviceScalesPlaybackWithoutTouchingTheGuestBuffer() throws {
        try ALSAFilePluginTests.configure()
        var device: ALSAPCMDevice? = try ALSAPCMDevice(name: "sndif_play", direction: .playback)
        let pcm = try #require(device)
        #expect(throws: SndIfError.self) { try pcm.setVolume([0, 0]) }  // no stream open yet
        try pcm.open(ALSAFilePluginTests.stereo48k)
        try pcm.setVolume([-6021, -6021])
        #expect(try pcm.volume(channels: 2) == [-6021, -6021])
        #expect(throws: SndIfError.volumeOutOfRange(level: 30_000, maximum: SoftwareGain.maximumLevel)) {
            try pcm.setVolume([30_000, 0])
        }
        try pcm.start()
        let guest = s16([Int16](repeating: 1000, count: 2048))
        var offset = 0
        var rounds = 0
        while offset < guest.count && rounds < 10_000 {
            offset += try guest[offset...].withUnsafeBytes { try pcm.write($0) }
            rounds += 1
        }
        #expect(guest == s16([Int16](repeating: 1000, count: 2048)), "the shared buffer is unchanged")
        pcm.close()
        device = nil
        #expect(ALSAFilePluginTests.readFile(ALSAFilePluginTests.playbackFile) == s16([Int16](repeating: 500, count: 2048)))
    }
}
