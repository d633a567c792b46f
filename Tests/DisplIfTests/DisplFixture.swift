// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore
import XenSimulator

/// A connected card with two connectors — "left" (64x48, connector 0) and
/// "right" (32x24, connector 1) — served by a backend in domain 1 whose
/// recording sink shows "left" on Virtual-1 (the default) and "right" on HDMI-A-1.
final class DisplFixture {
    let scenario: DisplScenario
    let frontend: SimulatedDisplFrontend
    let domain = DomainID(2)

    init(vsync: Bool = false, version: String? = nil, options: DisplIfOptions? = nil, backendAlloc: Bool = false) throws {
        var defaults = DisplIfOptions()
        defaults.maxBuffers = 8
        defaults.maxFramebuffers = 8
        scenario = DisplScenario(vsync: vsync, options: options ?? defaults, outputs: ["right": "HDMI-A-1"])
        try scenario.start()
        frontend = try scenario.addFrontend(domain: domain, backendAlloc: backendAlloc,
                                            connectors: [("left", "64x48"), ("right", "32x24")])
        if let version { try frontend.bus.write(DisplIfWire.fieldVersion, version) }
        try scenario.run()
        try frontend.connect(connectors: 2)
        try scenario.run()
        try frontend.confirm()
        try scenario.run()
    }

    var left: SimulatedDisplConnector { frontend.connectors[0] }
    var right: SimulatedDisplConnector { frontend.connectors[1] }
    var sink: RecordingDisplaySink { scenario.sink }
    var device: DisplDevice<SimulatedPlatform, RecordingDisplaySink>? { scenario.device(frontend: domain) }

    /// Sends one request on `connector` (default: connector 0), runs the
    /// simulation, and returns the one response.
    func request(_ body: DisplRequest.Body, on connector: SimulatedDisplConnector? = nil) throws -> DisplResponse {
        let ring = connector ?? left
        let request = DisplRequest(body)
        let id = try ring.send(request)
        try scenario.run()
        let responses = try ring.responses()
        try #require(responses.count == 1, "expected one response, got \(responses.count)")
        #expect(responses[0].id == id)
        #expect(responses[0].operation == request.operation)
        return responses[0]
    }

    /// Status of one request.
    func status(_ body: DisplRequest.Body, on connector: SimulatedDisplConnector? = nil) throws -> Int32 {
        try request(body, on: connector).status
    }

    /// Creates a `width`x`height` XRGB8888 display buffer (pitch width × 4) filled by `pixel`.
    @discardableResult
    func createBuffer(cookie: UInt64, width: UInt32, height: UInt32, bpp: UInt32 = 32,
                      pixel: (Int, Int) -> UInt32 = { x, y in UInt32(y * 256 + x) }) throws -> SimulatedDisplBuffer {
        let pitch = Int(width * bpp / 8)
        let size = pitch * Int(height)
        let buffer = frontend.allocateBuffer(byteCount: size)
        if bpp == 32 { buffer.fill(width: Int(width), height: Int(height), pitch: pitch, pixel) }
        let status = try self.status(.dbufCreate(dbufCookie: cookie, width: width, height: height, bpp: bpp,
                                                 bufferBytes: UInt32(size), flags: 0, directory: buffer.directory.rawValue,
                                                 dataOffset: 0))
        try #require(status == 0, "DBUF_CREATE answered \(status)")
        return buffer
    }

    /// Attaches framebuffer `fb` to display buffer `dbuf`.
    func attach(fb: UInt64, dbuf: UInt64, width: UInt32, height: UInt32, format: PixelFormat = .xrgb8888) throws {
        let status = try self.status(.fbAttach(dbufCookie: dbuf, fbCookie: fb, width: width, height: height,
                                               pixelFormat: format.rawValue))
        try #require(status == 0, "FB_ATTACH answered \(status)")
    }

    /// A 64x48 buffer 1 with framebuffer 11 shown on connector 0 at full size.
    @discardableResult
    func showLeft(pixel: @escaping (Int, Int) -> UInt32 = { x, y in UInt32(y * 256 + x) }) throws -> SimulatedDisplBuffer {
        let buffer = try createBuffer(cookie: 1, width: 64, height: 48, pixel: pixel)
        try attach(fb: 11, dbuf: 1, width: 64, height: 48)
        let status = try self.status(.setConfig(fbCookie: 11, x: 0, y: 0, width: 64, height: 48, bpp: 32))
        try #require(status == 0, "SET_CONFIG answered \(status)")
        return buffer
    }
}
