// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore
import XenSimulator

/// ≥10,000 seeded random hostile behaviours of a vdispl frontend: random and
/// half-valid requests of every operation, bogus cookies, grant refs,
/// directories, geometries and rectangles, scribbled ring and event-page
/// indices, notification storms, garbage xenstore nodes and states, pages freed
/// while mapped, a domain that vanishes. After each the simulation must settle
/// (no spin), mappings must stay bounded, and a well-behaved frontend on the
/// same backend must keep showing frames; at the end no grant mapping may
/// outlive teardown. Reruns under AddressSanitizer (KbdIfTests' AddressSanitizerRun).
@Suite struct HostileFrontendTests {
    static let iterations = 10_000
    static let connectors = [(uniqueID: "h0", resolution: "64x48"), (uniqueID: "h1", resolution: "32x24")]

    final class Hostile {
        let scenario: DisplScenario
        let domain = DomainID(2)
        var frontend: SimulatedDisplFrontend
        var buffers: [SimulatedDisplBuffer] = []

        init(scenario: DisplScenario) throws {
            self.scenario = scenario
            frontend = try scenario.addFrontend(domain: domain, connectors: HostileFrontendTests.connectors)
        }

        /// Brings the card back to Connected the way a correct frontend would.
        func reconnect() throws {
            if scenario.backendState(frontend: domain) == .connected && !frontend.connectors.isEmpty { return }
            if scenario.toolstack.read(frontend.bus.frontendPath) == nil || scenario.backendState(frontend: domain) == nil {
                try? scenario.toolstack.destroyDomain(domain)
                try scenario.run()
                frontend.release()
                frontend = try scenario.addFrontend(domain: domain, connectors: HostileFrontendTests.connectors)
                try scenario.run()
            }
            try? frontend.bus.setState(.closed)
            try scenario.run()
            frontend.release()
            buffers.removeAll()
            try? frontend.bus.setState(.initialising)
            try scenario.run()
            try frontend.connect(connectors: 2)
            try scenario.run()
        }

        func misbehave(_ random: inout SeededRandom) {
            guard !frontend.connectors.isEmpty else { return }
            let connector = frontend.connectors[Int(random.next() % UInt64(frontend.connectors.count))]
            let value = UInt32(truncatingIfNeeded: random.next())
            let other = UInt32(truncatingIfNeeded: random.next())
            let cookie = UInt64(value % 8)
            func send(_ body: DisplRequest.Body, on target: SimulatedDisplConnector? = nil) {
                _ = try? (target ?? connector).send(DisplRequest(body))
            }
            switch random.next() % 20 {
            case 0:  // 64 random bytes with a plausible operation
                let operation = UInt8(0x0E + value % 10)
                try? connector.sendRaw { bytes in
                    for index in 0..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: random.next()) }
                    bytes[2] = operation
                }
            case 1:  // DBUF_CREATE with random parameters and a random directory
                send(.dbufCreate(dbufCookie: cookie, width: other % 80, height: value % 70, bpp: [32, 16, 24, 8, 0, other][Int(value % 6)],
                                 bufferBytes: [other % 20000, 64 * 48 * 4, 0xFFFF_FFFF][Int(other % 3)], flags: value & 3,
                                 directory: [value, 8, 9, 10][Int(other % 4)], dataOffset: [0, other % 8192, other][Int(value % 3)]))
            case 2:  // a valid buffer, framebuffer, configuration and flip
                let buffer = frontend.allocateBuffer(byteCount: 64 * 48 * 4)
                buffers.append(buffer)
                let fb = cookie + 100
                send(.dbufCreate(dbufCookie: cookie, width: 64, height: 48, bpp: 32, bufferBytes: 64 * 48 * 4, flags: 0,
                                 directory: buffer.directory.rawValue, dataOffset: 0), on: frontend.connectors[0])
                send(.fbAttach(dbufCookie: cookie, fbCookie: fb, width: 64 - value % 3, height: 48, pixelFormat: PixelFormat.allCases[Int(other % 8)].rawValue),
                     on: frontend.connectors[0])
                send(.setConfig(fbCookie: fb, x: value % 4, y: other % 4, width: 16 + value % 20, height: 12 + other % 12,
                                bpp: PixelFormat.allCases[Int(other % 8)].bitsPerPixel))
                send(.pageFlip(fbCookie: fb))
            case 3:
                send(.fbAttach(dbufCookie: cookie, fbCookie: UInt64(other % 8) + 100, width: value % 100, height: other % 100,
                               pixelFormat: value & 1 == 0 ? PixelFormat.allCases[Int(other % 8)].rawValue : other))
            case 4:
                send(.setConfig(fbCookie: [UInt64(value % 8) + 100, 0, UInt64(other)][Int(other % 3)], x: value % 70, y: other % 50,
                                width: [value % 70, 0, value][Int(other % 3)], height: [other % 50, 0, other][Int(value % 3)],
                                bpp: [32, 16, 24, 0, value][Int(other % 5)]))
            case 5:
                send(.pageFlip(fbCookie: value & 1 == 0 ? UInt64(value % 8) + 100 : UInt64(other)))
            case 6:
                send(.dbufDestroy(dbufCookie: cookie))
            case 7:
                send(.fbDetach(fbCookie: UInt64(value % 8) + 100))
            case 8:
                let buffer = frontend.allocateBuffer(byteCount: value & 1 == 0 ? DisplIfWire.edidMaxSize : 4096)
                send(.getEdid(bufferBytes: [UInt32(DisplIfWire.edidMaxSize), other, 4096][Int(value % 3)],
                              directory: value & 2 == 0 ? buffer.directory.rawValue : other))
            case 9:  // scribble the ring header (indices) and notify
                SharedMemory.store32(connector.ringPage + Int(value % 4) * 4, other)
                try? frontend.bus.notify(connector.requestPort)
            case 10:
                SharedMemory.store32(connector.eventPage + DisplIfWire.eventInConsOffset, other)
            case 11:
                for _ in 0..<Int(value % 8) { try? frontend.bus.notify(connector.requestPort) }
                try? frontend.bus.notify(connector.eventPort)
            case 12:
                try? frontend.bus.setState(XenbusState(rawValue: value % 9) ?? .unknown)
            case 13:
                try? frontend.bus.write(["0/req-ring-ref", "1/evt-ring-ref", "0/req-event-channel", "1/resolution", "0/unique-id",
                                         "be-alloc", "version", "2/resolution"][Int(value % 8)],
                                        ["", "-1", "x", "99999999999", String(other), "64x48", "1", "2"][Int(other % 8)])
            case 14:
                frontend.release()  // pages and ports gone while mapped
                buffers.removeAll()
            case 15:
                try? scenario.toolstack.destroyDomain(domain)
            case 16:  // scribble a buffer the backend has mapped
                if let buffer = buffers.last { [UInt8](repeating: 0xA5, count: 64).withUnsafeBytes { buffer.write($0, at: Int(value % 12000)) } }
            case 17:
                scenario.sink.vblank()
            case 18:
                try? frontend.bus.setState(.connected)
            default:
                for target in frontend.connectors {
                    _ = try? target.responses()
                    _ = target.flipEvents()
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(25)))
    func survivesHostileBehaviours() throws {
        let scenario = DisplScenario(vsync: true)
        try scenario.start()
        let friend = try scenario.addFrontend(domain: DomainID(3), connectors: [(uniqueID: "friend", resolution: "16x16")])
        try scenario.run()
        try friend.connect(connectors: 1)
        try scenario.run()
        let screen = friend.connectors[0]
        let friendBuffer = friend.allocateBuffer(byteCount: 16 * 16 * 4)
        try screen.send(DisplRequest(.dbufCreate(dbufCookie: 1, width: 16, height: 16, bpp: 32, bufferBytes: 1024, flags: 0,
                                                 directory: friendBuffer.directory.rawValue, dataOffset: 0)))
        try screen.send(DisplRequest(.fbAttach(dbufCookie: 1, fbCookie: 2, width: 16, height: 16, pixelFormat: PixelFormat.xrgb8888.rawValue)))
        try screen.send(DisplRequest(.setConfig(fbCookie: 2, x: 0, y: 0, width: 16, height: 16, bpp: 32)))
        try scenario.run()
        #expect(try screen.responses().map { $0.status } == [0, 0, 0])

        let hostile = try Hostile(scenario: scenario)
        var random = SeededRandom(seed: 0xD15_F1A7)
        var connectedIterations = 0
        var friendFrames = 0
        for iteration in 0..<Self.iterations {
            try hostile.reconnect()
            if scenario.backendState(frontend: hostile.domain) == .connected { connectedIterations += 1 }
            hostile.misbehave(&random)
            try scenario.run()  // throws .simulationDidNotSettle on a livelock
            #expect(scenario.simulator.liveMappingCount <= 4 + 2 + 8 + 1, "iteration \(iteration): mappings pile up")
            if iteration % 100 == 0 {
                let colour = UInt32(iteration) & 0xFF_FFFF
                friendBuffer.fill(width: 16, height: 16, pitch: 64) { _, _ in colour }
                try screen.send(DisplRequest(.pageFlip(fbCookie: 2)))
                try scenario.run()
                scenario.sink.vblank()
                try scenario.run()
                #expect(try screen.responses().map { $0.status } == [0], "iteration \(iteration): the good frontend was disturbed")
                #expect(screen.flipEvents() == [2], "iteration \(iteration): the good frontend's flip event was lost")
                let shown = scenario.sink.pictures.last { $0.width == 16 && $0.height == 16 && $0.pixels[0] == colour }
                #expect(shown != nil, "iteration \(iteration): the good frontend's frame was not shown")
                friendFrames += 1
                #expect(scenario.backendState(frontend: DomainID(3)) == .connected)
            }
        }
        let hostileFrames = scenario.sink.calls.filter { $0.hasPrefix("flip") || $0.hasPrefix("enable") }.count - friendFrames - 1
        #expect(hostileFrames > 50, "the hostile frontend reached the sink only \(hostileFrames) times")
        #expect(connectedIterations > Self.iterations * 7 / 10, "the hostile frontend was connected only \(connectedIterations) times")
        for picture in scenario.sink.pictures {
            #expect(picture.width <= 64 && picture.height <= 48, "a frame larger than any buffer was shown")
        }
        scenario.backend.shutdown()
        try scenario.run()
        hostile.frontend.release()
        friend.release()
        #expect(scenario.simulator.leakReport().isEmpty, "mappings outlived teardown: \(scenario.simulator.leakReport())")
    }
}
