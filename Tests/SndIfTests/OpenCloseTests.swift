// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore

/// XENSND_OP_OPEN and XENSND_OP_CLOSE, and every status OPEN can answer.
@Suite struct OpenCloseTests {
    @Test func openMapsTheBufferAndConfiguresTheDevice() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 16384, periodBytes: 4096)
        #expect(fixture.playbackDevice.calls == ["open s16_le 48000 2 4096 1024"])
        #expect(fixture.backendStream.state == .prepared)
        #expect(fixture.backendStream.bufferBytes == 16384)
        #expect(fixture.scenario.simulator.liveMappingCount == 5)
    }

    @Test func openFollowsAChainedPageDirectory() throws {
        // 1030 pages need two directory pages; the limit must allow it.
        let fixture = try SndFixture(card: ["buffer-size": String(1030 * 4096)])
        let buffer = try fixture.open(fixture.playback, bufferBytes: 1030 * 4096, periodBytes: 4096)
        let data = signal(8192, seed: 7)
        data.withUnsafeBytes { buffer.write($0, at: 1029 * 4096 - 4096) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: UInt32(1028 * 4096), length: 8192)) == 0)
        #expect(fixture.playbackDevice.written == data)
    }

    @Test func closeUnmapsTheBufferAndIsIdempotent() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 8192)
        #expect(try fixture.status(fixture.playback, SndIfWire.opClose, .close) == 0)
        #expect(fixture.backendStream.state == .closed)
        #expect(fixture.scenario.simulator.liveMappingCount == 4)
        #expect(fixture.playbackDevice.calls.last == "close")
        #expect(try fixture.status(fixture.playback, SndIfWire.opClose, .close) == 0)
        // A closed stream opens again.
        try fixture.open(fixture.playback, bufferBytes: 4096)
    }

    struct BadOpen: CustomStringConvertible, Sendable {
        let description: String
        let format: PCMFormat
        let rate: UInt32
        let channels: UInt8
        let bufferBytes: UInt32
        let periodBytes: UInt32
        let status: Int32
    }

    static let badOpens = [
        BadOpen(description: "format not offered", format: .u8, rate: 48000, channels: 2, bufferBytes: 4096, periodBytes: 1024, status: -22),
        BadOpen(description: "compressed format", format: .mpeg, rate: 48000, channels: 2, bufferBytes: 4096, periodBytes: 1024, status: -22),
        BadOpen(description: "rate not in list", format: .s16LE, rate: 22050, channels: 2, bufferBytes: 4096, periodBytes: 1024, status: -22),
        BadOpen(description: "zero channels", format: .s16LE, rate: 48000, channels: 0, bufferBytes: 4096, periodBytes: 1024, status: -22),
        BadOpen(description: "too many channels", format: .s16LE, rate: 48000, channels: 3, bufferBytes: 4096, periodBytes: 1024, status: -22),
        BadOpen(description: "buffer over buffer-size", format: .s16LE, rate: 48000, channels: 2, bufferBytes: 65540, periodBytes: 1024, status: -7),
        BadOpen(description: "huge buffer", format: .s16LE, rate: 48000, channels: 2, bufferBytes: UInt32.max, periodBytes: 1024, status: -7),
        BadOpen(description: "zero buffer", format: .s16LE, rate: 48000, channels: 2, bufferBytes: 0, periodBytes: 0, status: -22),
        BadOpen(description: "partial frame buffer", format: .s16LE, rate: 48000, channels: 2, bufferBytes: 4098, periodBytes: 1024, status: -22),
        BadOpen(description: "partial frame period", format: .s16LE, rate: 48000, channels: 2, bufferBytes: 4096, periodBytes: 1026, status: -22),
        BadOpen(description: "period over buffer", format: .s16LE, rate: 48000, channels: 2, bufferBytes: 4096, periodBytes: 8192, status: -22),
    ]

    @Test(arguments: badOpens)
    func openRejects(_ bad: BadOpen) throws {
        let fixture = try SndFixture()
        let buffer = fixture.playback.allocateBuffer(byteCount: 4096)
        let status = try fixture.status(fixture.playback, SndIfWire.opOpen,
                                        .open(format: bad.format, rate: bad.rate, channels: bad.channels, bufferBytes: bad.bufferBytes,
                                              directory: buffer.directory.rawValue, periodBytes: bad.periodBytes))
        #expect(status == bad.status)
        #expect(fixture.backendStream.state == .closed)
        #expect(fixture.scenario.simulator.liveMappingCount == 4)
        #expect(fixture.playbackDevice.calls.isEmpty)
    }

    @Test func openWithABadDirectoryGrantAnswersEFAULT() throws {
        let fixture = try SndFixture()
        let status = try fixture.status(fixture.playback, SndIfWire.opOpen,
                                        .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: 4096, directory: 99999, periodBytes: 1024))
        #expect(status == -14)
        #expect(fixture.scenario.simulator.liveMappingCount == 4)
    }

    @Test func openWithAShortDirectoryAnswersEFAULT() throws {
        let fixture = try SndFixture()
        // A directory for one page, but OPEN claims two pages.
        let buffer = fixture.playback.allocateBuffer(byteCount: 4096)
        let status = try fixture.status(fixture.playback, SndIfWire.opOpen,
                                        .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: 8192,
                                              directory: buffer.directory.rawValue, periodBytes: 1024))
        #expect(status == -14)
        #expect(fixture.scenario.simulator.liveMappingCount == 4)
    }

    @Test func openAgainReplacesTheBuffer() throws {
        // snd_xen_front sends OPEN again after a second hw_params without hw_free.
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 8192)
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        let second = try fixture.open(fixture.playback, bufferBytes: 4096, periodBytes: 1024, rate: 44100)
        #expect(fixture.backendStream.state == .prepared)
        #expect(fixture.backendStream.bufferBytes == 4096)
        #expect(fixture.scenario.simulator.liveMappingCount == 5, "the first buffer must be unmapped")
        #expect(fixture.playbackDevice.calls == ["open s16_le 48000 2 2048 1024", "start", "close", "open s16_le 44100 2 1024 256"])
        let data = signal(4096, seed: 2)
        data.withUnsafeBytes { second.write($0, at: 0) }
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 4096)) == 0)
        #expect(fixture.playbackDevice.written == data)
    }

    @Test func deviceOpenFailureAnswersENODEVAndUnmaps() throws {
        let fixture = try SndFixture()
        fixture.playbackDevice.failNext(.open, errno: 16)
        let buffer = fixture.playback.allocateBuffer(byteCount: 4096)
        let status = try fixture.status(fixture.playback, SndIfWire.opOpen,
                                        .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: 4096,
                                              directory: buffer.directory.rawValue, periodBytes: 1024))
        #expect(status == -19)
        #expect(fixture.scenario.simulator.liveMappingCount == 4)
        #expect(fixture.backendStream.state == .closed)
    }

    @Test func unknownOperationAnswersEOPNOTSUPP() throws {
        let fixture = try SndFixture()
        for operation: UInt8 in [10, 77, 255] {
            #expect(try fixture.status(fixture.playback, operation, .unknown) == -95)
        }
    }
}
