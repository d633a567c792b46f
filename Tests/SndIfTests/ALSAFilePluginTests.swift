// SPDX-License-Identifier: GPL-2.0-only OR MIT
import ALSAPCM
import CLinux
import SndIf
import SndIfSimulation
import Testing
import XenCore
import XenSimulator

/// The real ALSA code path (`ALSAPCMDevice` over libasound) against alsa-lib's
/// `file` and `null` plugins, configured through a private ALSA_CONFIG_PATH:
/// the host's sound devices are never opened.
@Suite(.serialized) struct ALSAFilePluginTests {
    /// A private folder and ALSA configuration for this test process.
    static let folder: String = {
        let path = "/tmp/sndif-alsa-test-" + String(getpid())
        mkdir(path, 0o700)
        return path
    }()
    static var playbackFile: String { folder + "/played.raw" }
    static var captureFile: String { folder + "/capture-source.raw" }
    static let captureSignal = signal(32768, seed: 42)

    /// Writes the configuration (PCMs `sndif_play` and `sndif_capture`) and points libasound at it.
    static func configure() throws {
        let config = """
            pcm.sndif_play {
                type file
                slave.pcm { type null }
                file "\(playbackFile)"
                format "raw"
            }
            pcm.sndif_capture {
                type file
                slave.pcm { type null }
                file "/dev/null"
                infile "\(captureFile)"
                format "raw"
            }
            """
        try writeFile(folder + "/asound.conf", Array(config.utf8))
        try writeFile(captureFile, captureSignal)
        unlink(playbackFile)
        setenv("ALSA_CONFIG_PATH", folder + "/asound.conf", 1)
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = clinux_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0, "cannot create \(path)")
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        try #require(written == bytes.count)
    }

    static func readFile(_ path: String) -> [UInt8] {
        let fd = clinux_open(path, O_RDONLY, 0)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    static let stereo48k = PCMParams(format: .s16LE, rate: 48000, channels: 2, bufferFrames: 4096, periodFrames: 1024)

    @Test func playbackWritesTheExactBytes() throws {
        try Self.configure()
        let data = signal(65536, seed: 5)
        var device: ALSAPCMDevice? = try ALSAPCMDevice(name: "sndif_play", direction: .playback)
        let pcm = try #require(device)
        let ranges = try pcm.queryRanges(.unrestricted)
        #expect(ranges.formats & PCMFormat.s16LE.maskBit != 0)
        #expect(ranges.rates.contains(48000))
        try pcm.open(Self.stereo48k)
        try pcm.start()
        var offset = 0
        var rounds = 0
        while offset < data.count && rounds < 10_000 {
            let end = min(data.count, offset + 4096)
            offset += try data[offset..<end].withUnsafeBytes { try pcm.write($0) }
            rounds += 1
        }
        #expect(offset == data.count)
        #expect(try pcm.position() <= UInt64(data.count / 4))
        pcm.close()
        device = nil  // snd_pcm_close flushes the file plugin
        #expect(Self.readFile(Self.playbackFile) == data)
    }

    @Test func captureReadsTheInputFile() throws {
        try Self.configure()
        let pcm = try ALSAPCMDevice(name: "sndif_capture", direction: .capture)
        try pcm.open(Self.stereo48k)
        try pcm.start()
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var rounds = 0
        while received.count < Self.captureSignal.count && rounds < 100_000 {
            let count = try chunk.withUnsafeMutableBytes { try pcm.read(into: $0) }
            received.append(contentsOf: chunk[0..<count])
            rounds += 1
        }
        #expect(Array(received.prefix(Self.captureSignal.count)) == Self.captureSignal)
        pcm.close()
    }

    @Test func pcmIsHeldOnlyWhileOpen() throws {
        try Self.configure()
        let first = try ALSAPCMDevice(name: "sndif_play", direction: .playback)
        let second = try ALSAPCMDevice(name: "sndif_play", direction: .playback)
        try first.open(Self.stereo48k)
        first.close()
        try second.open(Self.stereo48k)  // the file plugin PCM is free again
        second.close()
        #expect(throws: SndIfError.self) { try first.start() }  // closed: nothing to start
    }

    @Test func queryNarrowsToTheRequest() throws {
        try Self.configure()
        let pcm = try ALSAPCMDevice(name: "sndif_play", direction: .playback)
        var wanted = PCMRanges.unrestricted
        wanted.formats = PCMFormat.s16LE.maskBit | PCMFormat.s32LE.maskBit
        wanted.rates = PCMInterval(min: 44100, max: 48000)
        wanted.channels = PCMInterval(min: 2, max: 2)
        let ranges = try pcm.queryRanges(wanted)
        #expect(ranges.formats == wanted.formats)
        #expect(ranges.rates == wanted.rates)
        #expect(ranges.channels == wanted.channels)
        #expect(!ranges.bufferFrames.isEmpty)
    }

    @Test func missingPCMIsReportedWithItsName() throws {
        try Self.configure()
        let missing = try ALSAPCMDevice(name: "sndif_does_not_exist", direction: .playback)
        #expect(throws: SndIfError.self) { try missing.open(Self.stereo48k) }
        #expect(throws: SndIfError.self) { _ = try missing.queryRanges(.unrestricted) }
        #expect(throws: SndIfError.self) {
            _ = try ALSAPCMProvider().makeDevice(name: "sndif_does_not_exist", direction: .capture).open(Self.stereo48k)
        }
    }

    /// The whole backend over the simulated Xen, with ALSA behind the stream:
    /// a frontend's WRITEs come out of the file plugin byte for byte.
    @Test func backendPlaysThroughALSA() throws {
        try Self.configure()
        let simulator = XenSimulator()
        let toolstack = SimulatedToolstack(simulator: simulator)
        try toolstack.nameDomain(DomainID(2), "DomU")
        let bindings = GuestBindings([GuestBinding(guest: "DomU", id: "music", direction: "p", target: "sndif_play")])
        var backend: SndIfBackend<SimulatedPlatform, ALSAPCMProvider>? =
            SndIfBackend(platform: simulator.platform(for: DomainID(1)), provider: ALSAPCMProvider(), bindings: bindings,
                         log: .discard)
        let loop = PollLoop()
        loop.add(backend!)
        try backend!.start()
        let paths = try toolstack.createDevice(type: SndIfWire.deviceType, backend: DomainID(1), frontend: DomainID(2), devid: 0)
        try toolstack.store.write(paths.frontend + "/0/0/type", "p")
        try toolstack.store.write(paths.frontend + "/0/0/unique-id", "music")
        let frontend = try SimulatedSndFrontend(simulator: simulator, domain: DomainID(2), frontendPath: paths.frontend)
        try loop.runUntilIdle()
        try frontend.connect(pcms: [[0]])
        try loop.runUntilIdle()
        let stream = frontend.streams[0]
        let buffer = stream.allocateBuffer(byteCount: 16384)
        func send(_ operation: UInt8, _ body: SndRequest.Body) throws -> Int32 {
            try stream.send(SndRequest(id: 0, operation: operation, body: body))
            try loop.runUntilIdle()
            return try stream.responses().first?.status ?? 1
        }
        #expect(try send(SndIfWire.opOpen, .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: 16384,
                                                  directory: buffer.directory.rawValue, periodBytes: 4096)) == 0)
        let data = signal(16384 * 4, seed: 11)
        #expect(try send(SndIfWire.opTrigger, .trigger(type: SndIfWire.triggerStart)) == 0)
        for part in 0..<4 {
            data[part * 16384..<(part + 1) * 16384].withUnsafeBytes { buffer.write($0, at: 0) }
            #expect(try send(SndIfWire.opWrite, .range(offset: 0, length: 16384)) == 0)
        }
        #expect(try send(SndIfWire.opTrigger, .trigger(type: SndIfWire.triggerStop)) == 0)
        #expect(try send(SndIfWire.opClose, .close) == 0)
        backend!.shutdown()
        try loop.runUntilIdle()
        loop.remove(backend!)
        backend = nil  // the devices close with the backend
        #expect(simulator.leakReport().isEmpty)
        #expect(Self.readFile(Self.playbackFile) == data)
    }

    /// Capture through the whole backend: the ALSA period timer drives the
    /// position events, and READ returns the file plugin's input in order.
    @Test func backendCapturesThroughALSA() throws {
        try Self.configure()
        let simulator = XenSimulator()
        let toolstack = SimulatedToolstack(simulator: simulator)
        try toolstack.nameDomain(DomainID(2), "DomU")
        let bindings = GuestBindings([GuestBinding(guest: "DomU", id: "mic", direction: "c", target: "sndif_capture")])
        let backend = SndIfBackend(platform: simulator.platform(for: DomainID(1)), provider: ALSAPCMProvider(),
                                   bindings: bindings, log: .discard)
        let loop = PollLoop()
        loop.add(backend)
        try backend.start()
        let paths = try toolstack.createDevice(type: SndIfWire.deviceType, backend: DomainID(1), frontend: DomainID(2), devid: 0)
        try toolstack.store.write(paths.frontend + "/0/0/type", "c")
        try toolstack.store.write(paths.frontend + "/0/0/unique-id", "mic")
        let frontend = try SimulatedSndFrontend(simulator: simulator, domain: DomainID(2), frontendPath: paths.frontend)
        try loop.runUntilIdle()
        try frontend.connect(pcms: [[0]])
        try loop.runUntilIdle()
        let stream = frontend.streams[0]
        let buffer = stream.allocateBuffer(byteCount: 16384)
        try stream.send(SndRequest(id: 0, operation: SndIfWire.opOpen,
                                   body: .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: 16384,
                                               directory: buffer.directory.rawValue, periodBytes: 1024)))
        try stream.send(SndRequest(id: 0, operation: SndIfWire.opTrigger, body: .trigger(type: SndIfWire.triggerStart)))
        try loop.runUntilIdle()
        #expect(try stream.responses().map { $0.status } == [0, 0])
        // Wait (on the poll loop, at most 2 s) for the first position events from the period timer.
        var events: [UInt64] = []
        for _ in 0..<40 where events.isEmpty {
            try loop.runOnce(timeoutMilliseconds: 50)
            events += stream.positionEvents()
        }
        #expect(!events.isEmpty, "no XENSND_EVT_CUR_POS from the ALSA period timer")
        #expect(events.allSatisfy { $0 % 4 == 0 && $0 >= 1024 })
        var received: [UInt8] = []
        for offset in stride(from: 0, to: 8192, by: 4096) {
            try stream.send(SndRequest(id: 0, operation: SndIfWire.opRead, body: .range(offset: UInt32(offset), length: 4096)))
            var answered: [SndResponse] = []
            for _ in 0..<40 where answered.isEmpty {
                try loop.runOnce(timeoutMilliseconds: 50)
                answered = try stream.responses()
            }
            #expect(answered.map { $0.status } == [0])
            received += buffer.read(at: offset, count: 4096)
        }
        #expect(received == Array(Self.captureSignal.prefix(8192)))
        backend.shutdown()
        try loop.runUntilIdle()
        #expect(simulator.leakReport().isEmpty)
    }
}
