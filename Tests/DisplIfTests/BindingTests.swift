// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore
import XenSimulator

/// A connector is shown only if the image binds (guest, unique-id): guest B
/// cannot paint guest A's screen by copying A's connector id.
@Suite struct DisplBindingTests {
    @Test func anotherGuestCannotClaimAConnectorByItsUniqueID() throws {
        let scenario = DisplScenario(outputs: ["cluster": "HDMI-A-1"])
        try scenario.start()
        let owner = try scenario.addFrontend(domain: DomainID(2), connectors: [("cluster", "64x48")])
        try scenario.run()
        try owner.connect(connectors: 1)
        try scenario.run()
        try owner.confirm()
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
        let thief = try scenario.addFrontend(domain: DomainID(3), connectors: [("cluster", "64x48")], bind: false)
        try scenario.run()
        try thief.connect(connectors: 1)
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(3)) == .closing)
        #expect(scenario.device(frontend: DomainID(3))?.isConnected != true)
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
        #expect(scenario.log.contains { $0.contains("connector 0 'cluster' of guest 'guest3' is bound to no output") })
        #expect(!scenario.simulator.leakReport().contains { $0.contains("of domain 3") }, "\(scenario.simulator.leakReport())")
    }
}
