// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import KbdIf
import KbdIfSimulation
import Testing
import XenCore
import XenSimulator

/// Scenario tests on the simulated host: full handshake, feature negotiation,
/// one test per backend state transition, teardown and reconnect.
@Suite struct HandshakeTests {
    let guest = DomainID(2)

    func connected(_ requests: SimulatedKbdFrontend.Requests = .init(), options: KbdIfOptions = KbdIfOptions(),
                   capabilities: InputCapabilities = KbdScenario.touchscreen) throws -> (KbdScenario, SimulatedKbdFrontend) {
        let scenario = KbdScenario(options: options, capabilities: capabilities)
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: guest, requests: requests)
        try scenario.run()
        return (scenario, frontend)
    }

    @Test func fullHandshakePublishesFeaturesAndConnects() throws {
        let (scenario, frontend) = try connected(.init(absolute: true))
        let backendPath = scenario.paths(frontend: guest).backend
        #expect(scenario.backendState(frontend: guest) == .connected)
        #expect(frontend.state == .connected)
        for (node, value) in [("feature-abs-pointer", "1"), ("feature-raw-pointer", "1"), ("feature-multi-touch", "1"),
                              ("feature-disable-keyboard", "0"), ("feature-disable-pointer", "0"), ("width", "1920"),
                              ("height", "1080"), ("multi-touch-num-contacts", "10"), ("multi-touch-width", "1920"),
                              ("multi-touch-height", "1080")] {
            #expect(scenario.toolstack.read(XenPath.join(backendPath, node)) == value, "node \(node)")
        }
        #expect(scenario.backend.devices.first?.negotiation == KbdNegotiation(absolute: true, raw: false, multiTouch: false))
        #expect(scenario.simulator.liveMappingCount == 1)
    }

    @Test func optionsChangePublishedNodes() throws {
        var options = KbdIfOptions()
        options.absolutePointer = false
        options.disableKeyboard = true
        options.width = 800
        options.height = 480
        let (scenario, frontend) = try connected(.init(absolute: true, multiTouch: true), options: options,
                                                 capabilities: InputCapabilities())
        let backendPath = scenario.paths(frontend: guest).backend
        #expect(scenario.toolstack.read(XenPath.join(backendPath, "feature-abs-pointer")) == "0")
        #expect(scenario.toolstack.read(XenPath.join(backendPath, "feature-multi-touch")) == "0", "no touch device")
        #expect(scenario.toolstack.read(XenPath.join(backendPath, "multi-touch-num-contacts")) == nil)
        #expect(scenario.toolstack.read(XenPath.join(backendPath, "feature-disable-keyboard")) == "1")
        #expect(scenario.toolstack.read(XenPath.join(backendPath, "width")) == "800")
        #expect(frontend.readRequest("request-abs-pointer") == nil, "frontends only request offered features")
        #expect(scenario.backend.devices.first?.negotiation == KbdNegotiation(absolute: false, raw: false, multiTouch: false))
    }

    @Test(arguments: [
        (SimulatedKbdFrontend.Requests(), KbdNegotiation(absolute: false, raw: false, multiTouch: false)),
        (.init(absolute: true), KbdNegotiation(absolute: true, raw: false, multiTouch: false)),
        (.init(absolute: true, raw: true), KbdNegotiation(absolute: true, raw: true, multiTouch: false)),
        (.init(raw: true), KbdNegotiation(absolute: false, raw: false, multiTouch: false)),
        (.init(multiTouch: true), KbdNegotiation(absolute: false, raw: false, multiTouch: true)),
    ])
    func negotiation(requests: SimulatedKbdFrontend.Requests, expected: KbdNegotiation) throws {
        let (scenario, _) = try connected(requests)
        #expect(scenario.backend.devices.first?.negotiation == expected)
    }

    @Test func everyEventKindReachesTheFrontend() throws {
        let (scenario, frontend) = try connected(.init(absolute: true, multiTouch: true))
        scenario.input.push([key(KEY_B, 1), key(KEY_B, 0), key(BTN_LEFT, 1), syn,
                             abs(ABS_X, 4095), abs(ABS_Y, 4095), syn,
                             abs(ABS_MT_TRACKING_ID, 3), abs(ABS_MT_POSITION_X, 0), abs(ABS_MT_POSITION_Y, 0), syn,
                             abs(ABS_MT_TRACKING_ID, -1), syn])
        try scenario.run()
        #expect(frontend.received == [
            .key(code: UInt32(KEY_B), pressed: true), .key(code: UInt32(KEY_B), pressed: false),
            .key(code: UInt32(BTN_LEFT), pressed: true), .position(x: 1920, y: 1080, dz: 0),
            .touchDown(contact: 0, x: 0, y: 0), .touchSyn(contact: 0), .touchUp(contact: 0), .touchSyn(contact: 0),
        ])
    }

    @Test func relativeFrontendGetsMotion() throws {
        let (scenario, frontend) = try connected(capabilities: InputCapabilities())
        scenario.input.push([rel(REL_X, -3), rel(REL_Y, 4), rel(REL_WHEEL, -1), syn])
        try scenario.run()
        #expect(frontend.received == [.motion(dx: -3, dy: 4, dz: -1)])
    }

    // MARK: One test per transition

    @Test func newDeviceGoesToInitWait() throws {
        let scenario = KbdScenario()
        try scenario.start()
        try scenario.toolstack.createDevice(type: "vkbd", backend: scenario.backendDomain, frontend: guest, devid: 0)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .initWait)
        #expect(scenario.backend.devices.count == 1)
    }

    @Test func frontendNeverConnectingLeavesBackendWaiting() throws {
        let scenario = KbdScenario()
        try scenario.start()
        let paths = try scenario.toolstack.createDevice(type: "vkbd", backend: scenario.backendDomain, frontend: guest, devid: 0)
        try scenario.toolstack.store.remove(XenPath.join(paths.frontend, "state"))
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .initWait)
        #expect(scenario.simulator.liveMappingCount == 0)
    }

    @Test func initialisedFrontendConnects() throws {
        let (scenario, _) = try connected()
        #expect(scenario.backendState(frontend: guest) == .connected)
    }

    @Test func frontendJumpingToConnectedAlsoConnects() throws {
        let scenario = KbdScenario()
        try scenario.start()
        let paths = try scenario.toolstack.createDevice(type: "vkbd", backend: scenario.backendDomain, frontend: guest, devid: 0)
        try scenario.run()
        let bus = try SimulatedFrontendBus(simulator: scenario.simulator, domain: guest, frontendPath: paths.frontend)
        let (_, ref) = bus.allocateGrantedPage()
        let port = try bus.allocatePort()
        try bus.write("page-gref", ref.description)
        try bus.write("event-channel", port.description)
        try bus.setState(.connected)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .connected)
    }

    @Test(arguments: [("page-gref", "12345"), ("page-gref", "x"), ("event-channel", "999"), ("event-channel", "-1")])
    func badRingDetailsCloseTheFrontend(node: String, value: String) throws {
        let scenario = KbdScenario()
        try scenario.start()
        let paths = try scenario.toolstack.createDevice(type: "vkbd", backend: scenario.backendDomain, frontend: guest, devid: 0)
        try scenario.run()
        let bus = try SimulatedFrontendBus(simulator: scenario.simulator, domain: guest, frontendPath: paths.frontend)
        let (_, ref) = bus.allocateGrantedPage()
        let port = try bus.allocatePort()
        try bus.write("page-gref", ref.description)
        try bus.write("event-channel", port.description)
        try bus.write(node, value)
        try bus.setState(.initialised)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closing)
        #expect(scenario.simulator.leakReport().isEmpty, "a half-done connect releases its mapping")
        #expect(scenario.log.contains { $0.contains("unable to connect") })
    }

    @Test func missingPageGrefCloses() throws {
        let scenario = KbdScenario()
        try scenario.start()
        let paths = try scenario.toolstack.createDevice(type: "vkbd", backend: scenario.backendDomain, frontend: guest, devid: 0)
        try scenario.run()
        let bus = try SimulatedFrontendBus(simulator: scenario.simulator, domain: guest, frontendPath: paths.frontend)
        try bus.write("page-ref", "77")  // obsolete PFN-based node only: cannot be mapped through grants
        try bus.write("event-channel", try bus.allocatePort().description)
        try bus.setState(.initialised)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closing)
    }

    @Test func connectedToClosingToClosed() throws {
        let (scenario, frontend) = try connected()
        frontend.close()
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closed)
        #expect(frontend.state == .closed)
        #expect(scenario.simulator.leakReport().isEmpty)
    }

    @Test func frontendClosedDirectlyClosesBackend() throws {
        let (scenario, frontend) = try connected()
        try frontend.bus.setState(.closed)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closed)
        #expect(scenario.simulator.liveMappingCount == 0)
    }

    @Test func closedFrontendReconnects() throws {
        let (scenario, frontend) = try connected(.init(absolute: true))
        frontend.close()
        try scenario.run()
        frontend.reconnect()
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .connected)
        scenario.input.push([key(KEY_C, 1), syn])
        try scenario.run()
        #expect(frontend.received == [.key(code: UInt32(KEY_C), pressed: true)])
        #expect(scenario.simulator.liveMappingCount == 1)
    }

    @Test func frontendRestartingWhileConnectedReconnects() throws {
        let (scenario, frontend) = try connected()
        frontend.reconnect()  // guest kernel rebooted: Initialising without closing
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .connected)
        #expect(frontend.state == .connected)
        #expect(scenario.simulator.liveMappingCount == 1, "the old page was unmapped")
    }

    @Test func invalidFrontendStateCloses() throws {
        let (scenario, frontend) = try connected()
        try frontend.bus.write("state", "banana")
        try scenario.run()
        #expect(scenario.simulator.liveMappingCount == 0)
        #expect(frontend.state == .closed, "the backend went Closing and the frontend followed to Closed")
        #expect(scenario.backendState(frontend: guest) == .closed)
    }

    @Test func vanishedFrontendIsTornDownAndNodesRemovedInDriverDomain() throws {
        let (scenario, _) = try connected()
        try scenario.toolstack.destroyDomain(guest)
        try scenario.run()
        #expect(scenario.toolstack.read(scenario.paths(frontend: guest).backend) == nil)
        #expect(scenario.backend.devices.isEmpty)
        #expect(scenario.simulator.leakReport().isEmpty)
    }

    @Test func vanishedFrontendInDom0KeepsTheDeviceClosed() throws {
        let scenario = KbdScenario(backendDomain: .dom0)
        try scenario.start()
        _ = try scenario.addFrontend(domain: guest, requests: .init())
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .connected)
        try scenario.toolstack.destroyDomain(guest)
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closed)
        #expect(scenario.simulator.leakReport().isEmpty)
    }

    @Test func toolstackRemovingTheBackendRetiresTheDevice() throws {
        let (scenario, _) = try connected()
        try scenario.toolstack.removeBackendDevice(scenario.paths(frontend: guest))
        try scenario.run()
        #expect(scenario.backend.devices.isEmpty)
        #expect(scenario.simulator.leakReport().isEmpty)
    }

    @Test func shutdownClosesEveryFrontend() throws {
        let (scenario, frontend) = try connected()
        let second = try scenario.addFrontend(domain: DomainID(3), requests: .init())
        try scenario.run()
        scenario.backend.shutdown()
        try scenario.run()
        #expect(scenario.backendState(frontend: guest) == .closed)
        #expect(scenario.backendState(frontend: DomainID(3)) == .closed)
        #expect(frontend.state == .closed && second.state == .closed)
        #expect(scenario.simulator.leakReport().isEmpty)
    }

    @Test func platformFailuresDuringConnectCloseOnlyThatFrontend() throws {
        for operation in [SimulatedOperation.grantMap, .eventBind] {
            let scenario = KbdScenario()
            try scenario.start()
            try scenario.run()
            scenario.simulator.faults.failNext(operation, errno: 5)
            let frontend = try scenario.addFrontend(domain: guest, requests: .init())
            try scenario.run()
            #expect(scenario.simulator.leakReport().isEmpty)
            if scenario.backendState(frontend: guest) != .connected {
                frontend.reconnect()
                try scenario.run()
            }
            #expect(scenario.backendState(frontend: guest) == .connected, "recovers after \(operation)")
        }
    }
}

extension SimulatedKbdFrontend {
    func readRequest(_ key: String) -> String? { bus.readFrontend(key) }
}
