// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore
import XenSimulator

/// 10,000 seeded random hostile behaviours per backend state (InitWait,
/// Connected, Closing, Closed): random and crafted URB requests (bogus grant
/// refs, segment counts and offsets, ports, addresses, iso descriptors,
/// unlinks of anything), runaway ring indices on both rings, page scribbles,
/// flipping and garbage states and nodes, a frontend that frees its pages or
/// vanishes mid-transfer, and a host completing its transfers with any status
/// and more data than asked. After each, the simulation must settle (no
/// hang), mappings must not pile up, and a second, well-behaved controller
/// must keep getting its transfers done.
@Suite struct UsbHostileFrontendTests {
    static let iterations = 10_000
    let hostileDomain = DomainID(2)
    let goodDomain = DomainID(3)
    static let hostileDevice = UsbBusID("1-1")!
    static let goodDevice = UsbBusID("1-2")!

    final class Hostile {
        let scenario: UsbScenario
        let domain: DomainID
        var frontend: SimulatedUsbFrontend
        var pages: [GrantRef] = []

        init(scenario: UsbScenario, domain: DomainID) throws {
            self.scenario = scenario
            self.domain = domain
            frontend = try scenario.addController(domain: domain, ports: [1: "1-1"])
        }

        var backendState: XenbusState? { scenario.backendState(frontend: domain) }

        /// Brings the backend into `target` the way a correct frontend would; false if it did not get there.
        func drive(to target: XenbusState) throws -> Bool {
            if scenario.toolstack.read(frontend.bus.frontendPath) == nil || backendState == nil {
                try? scenario.toolstack.destroyDomain(domain)
                try scenario.run()
                frontend = try scenario.addController(domain: domain, ports: [1: "1-1"])
                try scenario.run()
            }
            if backendState == target { return true }
            try? frontend.bus.setState(.closed)
            try scenario.run()
            frontend.release()
            pages.removeAll()
            try? frontend.bus.setState(.initialising)
            try scenario.run()
            if target == .initWait || backendState != .initWait { return backendState == target }
            try frontend.connect()
            try scenario.run()
            _ = try? frontend.connEvents()
            try? enumerate()
            try scenario.run()
            _ = try? frontend.responses()
            if target == .connected { return backendState == .connected }
            try frontend.bus.setState(target == .closing ? .reconfiguring : .closed)
            try scenario.run()
            return backendState == target
        }

        /// SET_ADDRESS 5 to the device on port 1, as the guest's enumeration does.
        func enumerate() throws {
            try frontend.submit(UrbRequest(id: 23, pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: false, type: .control),
                                           specific: UsbFixture.setup(0x00, UsbIfWire.requestSetAddress, value: 5)))
        }

        func grantedPage() -> GrantRef {
            if pages.count < 24 { pages.append(frontend.bus.allocateGrantedPage().ref) }
            return pages[Int.random(in: 0..<pages.count)]
        }

        /// A request built from random but plausible fields.
        func craftedRequest(_ random: inout SeededRandom) -> UrbRequest {
            let value = random.next()
            let type = UsbTransferType(rawValue: UInt8(value & 3))!
            let port = [UInt8(1), 1, 1, 1, 1, 0, 2, 31, UInt8(value >> 8 & 0x1F)][Int(value >> 16 % 9)]
            let device = [UInt8(0), 5, 5, 5, 5, UInt8(value >> 24 & 0x7F)][Int(value >> 32 % 6)]
            var pipe = UsbPipe(port: port, device: device, endpoint: UInt8(value >> 40 & 0xF), isIn: value >> 44 & 1 == 1, type: type,
                               unlink: value >> 45 & 7 == 0)
            if value >> 48 & 15 == 0 { pipe.rawValue |= UInt32(truncatingIfNeeded: random.next()) & 0x3FF8_0040 }  // undefined bits
            var segments: [UsbSegment] = []
            let count = random.next() % 8 == 0 ? Int(random.next() % 40) : Int(random.next() % 9)
            for _ in 0..<min(count, UsbIfWire.maxSegments) {
                let bits = random.next()
                let ref = bits & 31 == 0 ? GrantRef(UInt32(truncatingIfNeeded: bits >> 8)) : grantedPage()
                let offset = bits >> 20 & 15 == 0 ? UInt16(truncatingIfNeeded: bits >> 24) : UInt16(bits >> 24 % 512)
                let length = bits >> 40 & 15 == 0 ? UInt16(truncatingIfNeeded: bits >> 42) : UInt16(bits >> 42 % 2048)
                segments.append(UsbSegment(ref: ref, offset: offset, length: length))
            }
            var request = UrbRequest(id: UInt16(truncatingIfNeeded: random.next() % 24), pipe: pipe, segments: segments)
            request.segmentCount = UInt16(count)
            let total = segments.reduce(0) { $0 + Int($1.length) }
            request.bufferLength = random.next() % 4 == 0 ? UInt16(truncatingIfNeeded: random.next()) : UInt16(truncatingIfNeeded: total)
            request.transferFlags = UInt16(truncatingIfNeeded: random.next())
            let specific = random.next()
            switch random.next() % 4 {
            case 0: request.specific = UrbRequest.isoSpecific(interval: 1, startFrame: 0, packets: UInt16(specific % 40),
                                                              descriptorSegments: UInt16(specific >> 8 % 5))
            case 1: request.specific = UrbRequest.unlinkSpecific(UInt16(specific % 24))
            case 2: request.specific = UsbFixture.setup(UInt8(specific & 0xFF) & 0xE3, UInt8(specific >> 8 % 13),
                                                        value: UInt16(truncatingIfNeeded: specific >> 16))
            default: request.specific = (0..<8).map { UInt8(truncatingIfNeeded: specific >> ($0 * 8)) }
            }
            if request.pipe.type == .isochronous, let page = frontend.bus.pages.last {  // plausible descriptors sometimes
                for index in 0..<64 { page.storeBytes(of: UInt32(truncatingIfNeeded: random.next() % 700), toByteOffset: index * 4, as: UInt32.self) }
            }
            return request
        }

        /// One random misbehaviour.
        func misbehave(_ random: inout SeededRandom) {
            let value = UInt32(truncatingIfNeeded: random.next())
            let bus = frontend.bus
            switch random.next() % 20 {
            case 0: try? bus.setState(XenbusState(rawValue: value % 9) ?? .unknown)
            case 1: try? bus.write("state", ["", "-1", "4x", "connected", "99999999999"][Int(value % 5)])
            case 2: try? bus.write([UsbIfWire.fieldUrbRingRef, UsbIfWire.fieldConnRingRef, UsbIfWire.fieldEventChannel][Int(value % 3)],
                                   String(value))
            case 3: try? enumerate()
            case 4, 5, 6, 7:
                for _ in 0..<Int(value % 6 + 1) { try? frontend.submit(craftedRequest(&random)) }
            case 8:
                try? frontend.submitRaw { bytes in
                    for index in 0..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: random.next()) }
                }
            case 9: store(frontend.urbPage, [0, 4, 8, 12][Int(value % 4)], UInt32(truncatingIfNeeded: random.next()))
            case 10: store(frontend.connPage, [0, 4, 8, 12][Int(value % 4)], UInt32(truncatingIfNeeded: random.next()))
            case 11:
                guard let page = [frontend.urbPage, frontend.connPage][Int(value % 2)] else { return }
                for _ in 0..<16 { page.storeBytes(of: UInt8(truncatingIfNeeded: random.next()), toByteOffset: Int(random.next() % 4096), as: UInt8.self) }
            case 12: if let port = frontend.port { for _ in 0..<Int(value % 8) { try? bus.notify(port) } }
            case 13: _ = try? frontend.responses(); _ = try? frontend.connEvents()
            case 14: completeSomething(&random)
            case 15: completeSomething(&random); completeSomething(&random)
            case 16:
                if value % 2 == 0 { scenario.host.unplug(UsbHostileFrontendTests.hostileDevice) } else {
                    scenario.host.plug(UsbHostileFrontendTests.hostileDevice, speed: UsbSpeed(rawValue: UInt8(value % 4)) ?? .high)
                }
            case 17: try? scenario.assign(domain: domain, port: Int(value % 9), busID: ["1-1", "", "1-2", "x"][Int(value / 9 % 4)])
            case 18: frontend.release(); pages.removeAll()
            default: if value % 8 == 0 { try? scenario.toolstack.destroyDomain(domain) } else { try? bus.setState(.connected) }
            }
        }

        /// The host finishes one of the hostile controller's transfers, any way it likes.
        private func completeSomething(_ random: inout SeededRandom) {
            let mine = scenario.host.inFlight.filter { scenario.host.opened[$0.device] != UsbHostileFrontendTests.goodDevice }
            guard !mine.isEmpty else { return }
            let transfer = mine[Int(random.next() % UInt64(mine.count))]
            let statuses: [UsbStatus] = [.ok, .ok, .stall, .ioError, .babble, .noDevice, .shutdown]
            let dataCount = Int(random.next() % 70000)
            let packets = (0..<Int(random.next() % 50)).map { _ in
                USBIsoPacketResult(actualLength: UInt32(truncatingIfNeeded: random.next() % 5000), status: statuses[Int(random.next() % 7)])
            }
            scenario.host.complete(transfer.token, status: statuses[Int(random.next() % 7)],
                                   data: [UInt8](repeating: 0xA5, count: dataCount),
                                   actualLength: Int(truncatingIfNeeded: Int64(bitPattern: random.next()) % 100_000), isoPackets: packets)
        }

        private func store(_ page: UnsafeMutableRawPointer?, _ offset: Int, _ value: UInt32) {
            guard let page else { return }
            SharedMemory.store32(page + offset, value)
        }
    }

    @Test(.timeLimit(.minutes(25)), arguments: [XenbusState.initWait, .connected, .closing, .closed])
    func survivesHostileBehaviours(in target: XenbusState) throws {
        let scenario = UsbScenario()
        scenario.host.plug(Self.hostileDevice)
        scenario.host.plug(Self.goodDevice)
        let goodDevice = Self.goodDevice
        let host = scenario.host
        host.responder = { transfer in
            guard host.opened[transfer.device] == goodDevice else { return nil }
            return USBCompletion(token: transfer.token, status: .ok, actualLength: transfer.length,
                                 data: transfer.isIn ? [UInt8](repeating: 0x5A, count: transfer.length) : [])
        }
        try scenario.start()
        let friend = try scenario.addController(domain: goodDomain, ports: [2: "1-2"])
        try scenario.run()
        try friend.connect()
        try scenario.run()
        #expect(try friend.connEvents().map { $0.port } == [2])
        var friendID: UInt16 = 0
        func friendTransfer() throws -> UrbResponse? {
            friendID &+= 1
            try friend.submit(UrbRequest(id: friendID, pipe: UsbPipe(port: 2, device: 0, endpoint: 0, isIn: true, type: .control),
                                         specific: UsbFixture.setup(0x80, UsbIfWire.requestGetDescriptor)))
            try scenario.run()
            return try friend.responses().first
        }
        let hostile = try Hostile(scenario: scenario, domain: hostileDomain)
        var random = SeededRandom(seed: 0x05B_F00D &+ UInt64(target.rawValue))
        var reached = 0
        for iteration in 0..<Self.iterations {
            if try hostile.drive(to: target) { reached += 1 }
            hostile.misbehave(&random)
            try scenario.run()  // throws .simulationDidNotSettle on a livelock
            #expect(scenario.simulator.liveMappingCount <= 4 + 2 * UsbIfWire.maxSegments * 16, "iteration \(iteration): mappings pile up")
            if iteration % 100 == 0 {
                let response = try friendTransfer()
                #expect(response?.id == friendID && response?.status == 0, "iteration \(iteration): the good controller stopped working")
                #expect(scenario.backendState(frontend: goodDomain) == .connected)
            }
        }
        #expect(reached > Self.iterations * 8 / 10, "the hostile frontend reached \(target) only \(reached) times")
        if target == .connected {
            #expect(scenario.log.contains { $0.contains("entries ahead of consumer") }, "runaway indices were caught")
            #expect(scenario.log.contains { $0.contains("runs past its page") }, "segments past their page were tried")
            #expect(scenario.log.contains { $0.contains("Unable to map the URB buffer") }, "bogus buffer grants were tried")
            #expect(scenario.host.submitted.count > Self.iterations / 100 + 100, "hostile URBs reached the host")
        }
        scenario.backend.shutdown()
        try scenario.run()
        hostile.frontend.release()
        #expect(scenario.simulator.leakReport().isEmpty, "mappings outlived teardown: \(scenario.simulator.leakReport())")
        #expect(scenario.host.opened.isEmpty)
    }
}
