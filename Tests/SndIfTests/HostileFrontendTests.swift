// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore
import XenSimulator

/// ≥10,000 seeded random hostile behaviours of a vsnd frontend: random and
/// half-valid requests of every operation, bogus grant refs, directories and
/// ranges, scribbled ring and event-page indices, notification storms,
/// garbage xenstore nodes and states, pages freed mid-stream, a domain that
/// vanishes. After each the simulation must settle (no spin), mappings must
/// not pile up, and a well-behaved frontend must keep playing; at the end no
/// grant mapping may outlive teardown.
@Suite struct HostileFrontendTests {
    static let iterations = 10_000
    static let streams = [[SndStreamSpec(.playback, uniqueID: "h-play"), SndStreamSpec(.capture, uniqueID: "h-cap")]]

    final class Hostile {
        let scenario: SndScenario
        let domain = DomainID(2)
        var frontend: SimulatedSndFrontend
        var buffers: [SimulatedSndBuffer] = []

        init(scenario: SndScenario) throws {
            self.scenario = scenario
            frontend = try scenario.addFrontend(domain: domain, pcms: HostileFrontendTests.streams)
        }

        /// Brings the card back to Connected the way a correct frontend would.
        func reconnect() throws {
            if scenario.backendState(frontend: domain) == .connected && !frontend.streams.isEmpty { return }
            if scenario.toolstack.read(frontend.bus.frontendPath) == nil || scenario.backendState(frontend: domain) == nil {
                try? scenario.toolstack.destroyDomain(domain)
                try scenario.run()
                frontend.release()
                frontend = try scenario.addFrontend(domain: domain, pcms: HostileFrontendTests.streams)
                try scenario.run()
            }
            try? frontend.bus.setState(.closed)
            try scenario.run()
            frontend.release()
            buffers.removeAll()
            // The stream nodes the toolstack wrote (and the image binds), which misbehaving may have scribbled.
            for (index, spec) in HostileFrontendTests.streams[0].enumerated() {
                let path = frontend.bus.frontendPath + "/0/" + String(index) + "/"
                try scenario.toolstack.store.write(path + SndIfWire.fieldType, spec.direction == .playback ? "p" : "c")
                try scenario.toolstack.store.write(path + SndIfWire.fieldUniqueID, spec.uniqueID)
            }
            try? frontend.bus.setState(.initialising)
            try scenario.run()
            try frontend.connect(pcms: [[0, 1]])
            try scenario.run()
        }

        func misbehave(_ random: inout SeededRandom) {
            guard !frontend.streams.isEmpty else { return }
            let stream = frontend.streams[Int(random.next() % UInt64(frontend.streams.count))]
            let value = UInt32(truncatingIfNeeded: random.next())
            let other = UInt32(truncatingIfNeeded: random.next())
            func send(_ operation: UInt8, _ body: SndRequest.Body) {
                _ = try? stream.send(SndRequest(id: 0, operation: operation, body: body))
            }
            switch random.next() % 20 {
            case 0:  // 64 random bytes with a plausible operation
                let operation = UInt8(value % 12)
                try? stream.sendRaw { bytes in
                    for index in 0..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: random.next()) }
                    bytes[2] = operation
                }
            case 1:  // OPEN with random parameters and a random directory
                send(SndIfWire.opOpen, .open(format: PCMFormat(UInt8(value % 30)), rate: [48000, 44100, 0, other][Int(value % 4)],
                                             channels: UInt8(truncatingIfNeeded: other % 4), bufferBytes: other % 70000,
                                             directory: value, periodBytes: other % 9000))
            case 2:  // a valid OPEN and START, then a transfer of a random whole-frame range
                let buffer = stream.allocateBuffer(byteCount: 8192)
                buffers.append(buffer)
                send(SndIfWire.opOpen, .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: 8192,
                                             directory: buffer.directory.rawValue, periodBytes: 1024))
                send(SndIfWire.opTrigger, .trigger(type: SndIfWire.triggerStart))
                send(value & 1 == 0 ? SndIfWire.opWrite : SndIfWire.opRead, .range(offset: (value % 2600) * 4, length: (other % 2600) * 4))
            case 3:  // whole frames, sometimes past the end; or anything
                let range: SndRequest.Body = value & 1 == 0 ? .range(offset: (value % 2600) * 4, length: (other % 2600) * 4)
                                                            : .range(offset: value, length: other % 10000)
                send(SndIfWire.opWrite, range)
            case 4:
                let range: SndRequest.Body = value & 1 == 0 ? .range(offset: (value % 2600) * 4, length: (other % 2600) * 4)
                                                            : .range(offset: value % 10000, length: other)
                send(SndIfWire.opRead, range)
            case 5:
                send(SndIfWire.opTrigger, .trigger(type: UInt8(value % 6)))
            case 6:
                send(SndIfWire.opHwParamQuery, .query(PCMRanges(formats: UInt64(value) << 1, rates: PCMInterval(min: value, max: other),
                                                                 channels: PCMInterval(min: value % 4, max: other % 9),
                                                                 bufferFrames: PCMInterval(min: value % 100, max: other),
                                                                 periodFrames: PCMInterval(min: 0, max: other))))
            case 7:
                send(UInt8(4 + value % 4), .range(offset: value % 9000, length: other % 16))
            case 8:
                send(SndIfWire.opClose, .close)
            case 9:  // scribble the ring header (indices) and notify
                SharedMemory.store32(stream.ringPage + Int(value % 4) * 4, other)
                try? frontend.bus.notify(stream.requestPort)
            case 10:
                SharedMemory.store32(stream.eventPage + SndIfWire.eventInConsOffset, other)
            case 11:
                for _ in 0..<Int(value % 8) { try? frontend.bus.notify(stream.requestPort) }
                try? frontend.bus.notify(stream.eventPort)
            case 12:
                try? frontend.bus.setState(XenbusState(rawValue: value % 9) ?? .unknown)
            case 13:
                try? frontend.bus.write(["0/0/ring-ref", "0/1/evt-ring-ref", "0/0/event-channel", "0/1/type", "0/0/unique-id",
                                         "buffer-size", "sample-rates", "channels-max"][Int(value % 8)],
                                        ["", "-1", "x", "99999999999", String(other), "p,c"][Int(other % 6)])
            case 14:
                frontend.release()  // pages and ports gone mid-stream
                buffers.removeAll()
            case 15:
                try? scenario.toolstack.destroyDomain(domain)
            case 16:
                for device in scenario.provider.devices.values { device.advance(frames: Int(value % 5000)) }
            case 17:  // scribble a buffer the backend has mapped
                if let buffer = buffers.last { [UInt8](repeating: 0xA5, count: 64).withUnsafeBytes { buffer.write($0, at: Int(value % 8000)) } }
            case 18:
                try? frontend.bus.setState(.connected)
            default:
                _ = try? stream.responses()
                _ = stream.positionEvents()
            }
        }
    }

    @Test(.timeLimit(.minutes(25)))
    func survivesHostileBehaviours() throws {
        let scenario = SndScenario { $0.consumeOnWrite = true }
        try scenario.start()
        let friend = try scenario.addFrontend(domain: DomainID(3), pcms: [[SndStreamSpec(.playback, uniqueID: "friend")]])
        try scenario.run()
        try friend.connect(pcms: [[0]])
        try scenario.run()
        let friendStream = friend.streams[0]
        let friendBuffer = friendStream.allocateBuffer(byteCount: 4096)
        try friendStream.send(SndRequest(id: 0, operation: SndIfWire.opOpen,
                                         body: .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: 4096,
                                                     directory: friendBuffer.directory.rawValue, periodBytes: 1024)))
        try friendStream.send(SndRequest(id: 0, operation: SndIfWire.opTrigger, body: .trigger(type: SndIfWire.triggerStart)))
        try scenario.run()
        #expect(try friendStream.responses().map { $0.status } == [0, 0])

        let hostile = try Hostile(scenario: scenario)
        var random = SeededRandom(seed: 0x5EED_50D1)
        var expected: [UInt8] = []
        var connectedIterations = 0
        for iteration in 0..<Self.iterations {
            try hostile.reconnect()
            if scenario.backendState(frontend: hostile.domain) == .connected { connectedIterations += 1 }
            hostile.misbehave(&random)
            try scenario.run()  // throws .simulationDidNotSettle on a livelock
            #expect(scenario.simulator.liveMappingCount <= 12, "iteration \(iteration): mappings pile up")
            if iteration % 100 == 0 {
                let chunk = signal(1024, seed: UInt32(iteration) + 1)
                chunk.withUnsafeBytes { friendBuffer.write($0, at: 0) }
                try friendStream.send(SndRequest(id: 0, operation: SndIfWire.opWrite, body: .range(offset: 0, length: 1024)))
                try scenario.run()
                expected += chunk
                #expect(try friendStream.responses().map { $0.status } == [0], "iteration \(iteration): the good frontend was disturbed")
                #expect(scenario.backendState(frontend: DomainID(3)) == .connected)
            }
        }
        // Every valid OPEN of the hostile frontend shares 8192 bytes: a longer
        // transfer would read or write outside the mapped buffer.
        var transfers = 0
        for device in scenario.provider.history where device.name != "recording:friend" {
            #expect(device.largestTransfer <= 8192, "\(device.name) moved \(device.largestTransfer) bytes at once")
            transfers += device.calls.filter { $0.hasPrefix("write") || $0.hasPrefix("read") }.count
        }
        #expect(transfers > 50, "the hostile frontend reached the device only \(transfers) times")
        #expect(connectedIterations > Self.iterations * 8 / 10, "the hostile frontend was connected only \(connectedIterations) times")
        #expect(scenario.provider.devices["friend"]!.written == expected)
        scenario.backend.shutdown()
        try scenario.run()
        hostile.frontend.release()
        #expect(scenario.simulator.leakReport().isEmpty, "mappings outlived teardown: \(scenario.simulator.leakReport())")
    }
}
