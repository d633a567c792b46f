// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import KbdIf
import KbdIfSimulation
import Testing
import XenCore
import XenSimulator

/// ≥10,000 seeded random hostile behaviours per backend state (InitWait,
/// Connected, Closing, Closed): bogus grant refs and ports, out-of-range and
/// runaway ring indices, page scribbles, flipping and garbage states, a frontend
/// that never connects or vanishes mid-stream. After each, the simulation must
/// settle (no hang), the backend must not crash or leak mappings, and a second,
/// well-behaved frontend must keep receiving every event.
@Suite struct HostileFrontendTests {
    static let iterations = 10_000
    let hostile = DomainID(2)
    let good = DomainID(3)

    final class Hostile {
        let scenario: KbdScenario
        let domain: DomainID
        var bus: SimulatedFrontendBus
        var port: Port?
        var page: UnsafeMutableRawPointer?
        init(scenario: KbdScenario, domain: DomainID) throws {
            self.scenario = scenario
            self.domain = domain
            let paths = try scenario.toolstack.createDevice(type: "vkbd", backend: scenario.backendDomain, frontend: domain, devid: 0)
            bus = try SimulatedFrontendBus(simulator: scenario.simulator, domain: domain, frontendPath: paths.frontend)
        }

        var backendState: XenbusState? { scenario.backendState(frontend: domain) }

        /// Brings the backend into `target` the way a correct frontend would; false if it did not get there.
        func drive(to target: XenbusState) throws -> Bool {
            if scenario.toolstack.read(bus.frontendPath) == nil || backendState == nil {
                try? scenario.toolstack.destroyDomain(domain)
                try scenario.run()
                let paths = try scenario.toolstack.createDevice(type: "vkbd", backend: scenario.backendDomain, frontend: domain, devid: 0)
                bus = try SimulatedFrontendBus(simulator: scenario.simulator, domain: domain, frontendPath: paths.frontend)
                try scenario.run()
            }
            if backendState == target { return true }
            try? bus.setState(.closed)
            try scenario.run()
            bus.release()
            page = nil
            port = nil
            try? bus.setState(.initialising)
            try scenario.run()
            if target == .initWait || backendState != .initWait { return backendState == target }
            let (newPage, ref) = bus.allocateGrantedPage()
            let newPort = try bus.allocatePort()
            page = newPage
            port = newPort
            try bus.write("page-gref", ref.description)
            try bus.write("event-channel", newPort.description)
            try bus.setState(.initialised)
            try scenario.run()
            if target == .connected { return backendState == .connected }
            try bus.setState(target == .closing ? .reconfiguring : .closed)
            try scenario.run()
            return backendState == target
        }

        /// One random misbehaviour.
        func misbehave(_ random: inout SeededRandom) {
            let value = UInt32(truncatingIfNeeded: random.next())
            switch random.next() % 18 {
            case 0: try? bus.setState(XenbusState(rawValue: value % 9) ?? .unknown)
            case 1: try? bus.write("state", String(value % 20))
            case 2: try? bus.write("state", ["", "-1", "4x", "connected", "99999999999"][Int(value % 5)])
            case 3: try? bus.write("page-gref", String(value))
            case 4: try? bus.write("event-channel", String(value % 64))
            case 5: store(KbdIfWire.inConsOffset, value)
            case 6: store(KbdIfWire.inProdOffset, value)
            case 7: store(KbdIfWire.outProdOffset, value)
            case 8:
                guard let page else { return }
                for _ in 0..<16 { page.storeBytes(of: UInt8(truncatingIfNeeded: random.next()), toByteOffset: Int(random.next() % 4096), as: UInt8.self) }
            case 9: if let port { for _ in 0..<Int(value % 8) { try? bus.notify(port) } }
            case 10: try? bus.remove(["page-gref", "event-channel", "state", "request-abs-pointer"][Int(value % 4)])
            case 11: try? bus.write(["request-abs-pointer", "request-raw-pointer", "request-multi-touch"][Int(value % 3)], String(value))
            case 12: try? bus.platform.store.write(XenPath.join(bus.backendPath, "state"), "4")  // not its node: EACCES
            case 13: bus.release(); page = nil; port = nil  // frees its pages and ports mid-stream
            case 14: try? scenario.toolstack.destroyDomain(domain)  // vanishes
            case 15: try? bus.setState(.connected)
            case 16: scenario.input.push([key(KEY_Z, 1), syn, abs(ABS_X, Int32(bitPattern: value)), syn])
            default: try? bus.write("page-gref", String(repeating: "9", count: Int(value % 300)))
            }
        }

        private func store(_ offset: Int, _ value: UInt32) {
            guard let page else { return }
            SharedMemory.store32(page + offset, value)
        }
    }

    @Test(.timeLimit(.minutes(25)), arguments: [XenbusState.initWait, .connected, .closing, .closed])
    func survivesHostileBehaviours(in target: XenbusState) throws {
        let scenario = KbdScenario()
        try scenario.start()
        let friend = try scenario.addFrontend(domain: good, requests: .init(absolute: true))
        try scenario.run()
        let hostile = try Hostile(scenario: scenario, domain: hostile)
        var random = SeededRandom(seed: 0xC0FFEE &+ UInt64(target.rawValue))
        var reached = 0
        var expectedByFriend = 0
        for iteration in 0..<Self.iterations {
            if try hostile.drive(to: target) { reached += 1 }
            hostile.misbehave(&random)
            try scenario.run()  // throws .simulationDidNotSettle on a livelock
            #expect(scenario.simulator.liveMappingCount <= 2, "iteration \(iteration): mappings pile up")
            if iteration % 100 == 0 {
                friend.clearReceived()
                scenario.input.push([key(KEY_Q, 1), syn])
                try scenario.run()
                expectedByFriend += 1
                #expect(friend.received.first == .key(code: UInt32(KEY_Q), pressed: true),
                        "iteration \(iteration): the good frontend stopped receiving")
                #expect(scenario.backendState(frontend: good) == .connected)
            }
        }
        #expect(reached > Self.iterations * 9 / 10, "the hostile frontend reached \(target) only \(reached) times")
        #expect(expectedByFriend == Self.iterations / 100)
        if target == .initWait {  // only a connect maps; in other states a bogus page-gref is ignored
            #expect(scenario.log.contains { $0.contains("gave a bad grant reference") }, "bogus grant refs were tried")
        }
        if target == .connected {
            #expect(scenario.log.contains { $0.contains("entries ahead of consumer") }, "runaway indices were caught")
        }
        scenario.backend.shutdown()
        try scenario.run()
        hostile.bus.release()
        #expect(scenario.simulator.leakReport().isEmpty, "mappings outlived teardown: \(scenario.simulator.leakReport())")
    }
}
