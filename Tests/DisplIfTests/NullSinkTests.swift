// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore
import XenSimulator

/// A backend on the null sink: every request is served, every flip completes at once.
@Suite struct NullSinkTests {
    @Test func flipsCompleteAtOnce() throws {
        let simulator = XenSimulator()
        let toolstack = SimulatedToolstack(simulator: simulator)
        let backend = DisplIfBackend(platform: simulator.platform(for: DomainID(1)), sink: NullDisplaySink(),
                                     options: DisplIfOptions(bindings: GuestBindings([GuestBinding(guest: "DomU", id: "", target: "none")])),
                                     log: .discard)
        let loop = PollLoop()
        loop.add(backend)
        try backend.start()
        let paths = try toolstack.createDevice(type: DisplIfWire.deviceType, backend: DomainID(1), frontend: DomainID(2), devid: 0)
        try toolstack.nameDomain(DomainID(2), "DomU")
        try toolstack.store.write(paths.frontend + "/0/resolution", "16x16")
        let frontend = try SimulatedDisplFrontend(simulator: simulator, domain: DomainID(2), frontendPath: paths.frontend)
        try loop.runUntilIdle()
        try frontend.connect(connectors: 1)
        try loop.runUntilIdle()
        let screen = try #require(frontend.connectors.first)
        let buffer = frontend.allocateBuffer(byteCount: 1024)
        let requests: [DisplRequest.Body] = [
            .dbufCreate(dbufCookie: 1, width: 16, height: 16, bpp: 32, bufferBytes: 1024, flags: 0,
                        directory: buffer.directory.rawValue, dataOffset: 0),
            .fbAttach(dbufCookie: 1, fbCookie: 2, width: 16, height: 16, pixelFormat: PixelFormat.xrgb8888.rawValue),
            .setConfig(fbCookie: 2, x: 0, y: 0, width: 16, height: 16, bpp: 32),
            .pageFlip(fbCookie: 2),
        ]
        for body in requests { try screen.send(DisplRequest(body)) }
        try loop.runUntilIdle()
        #expect(try screen.responses().map { $0.status } == [0, 0, 0, 0])
        #expect(screen.flipEvents() == [2])
        #expect(backend.devices.first?.connectors.first?.spec.uniqueID == "", "no unique-id node: the default output")
        backend.shutdown()
        try loop.runUntilIdle()
        #expect(simulator.leakReport().isEmpty)
    }
}
