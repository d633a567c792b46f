// SPDX-License-Identifier: GPL-2.0-only OR MIT
import KbdIf
import KbdIfSimulation
import Testing
import XenCore
import XenSimulator

/// A frontend cannot flood DomD's log: out-ring events it keeps posting are
/// logged a bounded number of times, and text it wrote reaches the log escaped.
@Suite struct LogLimitTests {
    @Test func outEventsOnEveryKickAreLoggedBoundedly() throws {
        let scenario = KbdScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: DomainID(2), requests: .init(absolute: true))
        try scenario.run()
        let page = try #require(frontend.page)
        let port = try #require(frontend.port)
        for kick in 0..<500 {
            let consumer = SharedMemory.load32(page + KbdIfWire.outConsOffset)
            SharedMemory.store32(page + KbdIfWire.outProdOffset, consumer &+ 1)
            try frontend.bus.notify(port)
            if kick % 10 == 0 { try scenario.run() }
        }
        try scenario.run()
        let lines = scenario.log.filter { $0.contains("frontend event") }
        #expect(lines.count <= 33, "\(lines.count) log lines for 500 kicks")
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
    }

    @Test func frontendStringsAreEscapedInLogs() throws {
        let scenario = KbdScenario()
        try scenario.start()
        let paths = try scenario.toolstack.createDevice(type: KbdIfWire.deviceType, backend: scenario.backendDomain,
                                                        frontend: DomainID(2), devid: 0)
        let bus = try SimulatedFrontendBus(simulator: scenario.simulator, domain: DomainID(2), frontendPath: paths.frontend)
        try scenario.run()
        try bus.write("page-gref", "7\n\u{1b}[2Jkbdif: forged line")
        try bus.write("event-channel", "1")
        try bus.setState(.initialised)
        try scenario.run()
        #expect(scenario.log.contains { $0.contains("invalid value") })
        for line in scenario.log {
            #expect(!line.contains("\n") && !line.contains("\u{1b}"), "unescaped: \(line)")
        }
        bus.release()
    }
}
