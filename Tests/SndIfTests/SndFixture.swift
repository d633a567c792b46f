// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore
import XenSimulator

/// A connected card with one playback stream ("pb", stream 0) and one capture
/// stream ("cap", stream 1) on PCM device 0, served by a backend in domain 1.
final class SndFixture {
    let scenario: SndScenario
    let frontend: SimulatedSndFrontend
    let domain = DomainID(2)
    static let card = ["sample-rates": "44100,48000", "sample-formats": "s16_le,s32_le", "channels-min": "1",
                       "channels-max": "2", "buffer-size": "65536"]

    init(card: [String: String] = SndFixture.card, configure: @escaping (RecordingPCMDevice) -> Void = { _ in }) throws {
        scenario = SndScenario(configure: configure)
        try scenario.start()
        frontend = try scenario.addFrontend(domain: domain, card: card,
                                            pcms: [[SndStreamSpec(.playback, uniqueID: "pb"), SndStreamSpec(.capture, uniqueID: "cap")]])
        try scenario.run()
        try frontend.connect(pcms: [[0, 1]])
        try scenario.run()
    }

    var playback: SimulatedSndStream { frontend.streams[0] }
    var capture: SimulatedSndStream { frontend.streams[1] }
    var playbackDevice: RecordingPCMDevice { scenario.provider.devices["pb"]! }
    var captureDevice: RecordingPCMDevice { scenario.provider.devices["cap"]! }
    var device: SndDevice<SimulatedPlatform, RecordingPCMProvider>? { scenario.device(frontend: domain) }
    var backendStream: SndStream<RecordingPCMDevice> { device!.streams[0] }

    /// Sends one request, runs the simulation, and returns the one response.
    func request(_ stream: SimulatedSndStream, _ operation: UInt8, _ body: SndRequest.Body) throws -> SndResponse {
        let id = try stream.send(SndRequest(id: 0, operation: operation, body: body))
        try scenario.run()
        let responses = try stream.responses()
        try #require(responses.count == 1, "expected one response, got \(responses.count)")
        #expect(responses[0].id == id)
        #expect(responses[0].operation == operation)
        return responses[0]
    }

    /// Status of one request.
    func status(_ stream: SimulatedSndStream, _ operation: UInt8, _ body: SndRequest.Body) throws -> Int32 {
        try request(stream, operation, body).status
    }

    /// OPENs `stream` with S16_LE stereo 48 kHz, a `bufferBytes` buffer and
    /// `periodBytes` period; returns the buffer.
    @discardableResult
    func open(_ stream: SimulatedSndStream, bufferBytes: Int = 16384, periodBytes: UInt32 = 4096,
              format: PCMFormat = .s16LE, rate: UInt32 = 48000, channels: UInt8 = 2) throws -> SimulatedSndBuffer {
        let buffer = stream.allocateBuffer(byteCount: bufferBytes)
        let status = try self.status(stream, SndIfWire.opOpen,
                                     .open(format: format, rate: rate, channels: channels, bufferBytes: UInt32(bufferBytes),
                                           directory: buffer.directory.rawValue, periodBytes: periodBytes))
        try #require(status == 0, "OPEN answered \(status)")
        return buffer
    }

    func trigger(_ stream: SimulatedSndStream, _ type: UInt8) throws -> Int32 {
        try status(stream, SndIfWire.opTrigger, .trigger(type: type))
    }
}

/// A test signal: `SeededRandom.pattern` (differs at every offset).
func signal(_ count: Int, seed: UInt32 = 1) -> [UInt8] { SeededRandom.pattern(count, seed: seed) }
