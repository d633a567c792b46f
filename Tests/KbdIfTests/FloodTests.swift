// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import KbdIf
import KbdIfSimulation
import Testing
import XenCore
import XenSimulator

/// One guest floods the kbdif backend from another vCPU — notifying without
/// pause and rewriting its page's indices while the backend works — and a
/// second guest on the same backend still gets its input. The bound is on
/// progress (poll rounds, flood deliveries spent), never on wall-clock time.
@Suite struct FloodTests {
    @Test func friendlyGuestGetsItsInputWhileAnotherFloods() throws {
        let scenario = KbdScenario()
        try scenario.start()
        let friend = try scenario.addFrontend(domain: DomainID(3), requests: .init(absolute: true))
        let flooder = try scenario.addFrontend(domain: DomainID(2), requests: .init(absolute: true))
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
        let page = SharedPage(try #require(flooder.page))
        let port = try #require(flooder.port)
        // The other vCPU: out-ring events posted as fast as the backend skips
        // them, in_cons dragged along with in_prod (valid, so the flood never
        // gets itself disconnected).
        let vcpu = FloodingGuest { _ in
            let outConsumer = SharedMemory.load32(page.address + KbdIfWire.outConsOffset)
            SharedMemory.store32(page.address + KbdIfWire.outProdOffset, outConsumer &+ 1)
            SharedMemory.store32(page.address + KbdIfWire.inConsOffset,
                                 SharedMemory.load32(page.address + KbdIfWire.inProdOffset))
        }
        vcpu.start()
        defer { vcpu.stop() }
        let storm = 200_000
        scenario.simulator.storm(domain: DomainID(2), port: port, deliveries: storm)
        friend.clearReceived()
        scenario.input.push([key(KEY_A, 1), syn, key(KEY_A, 0), syn])
        var rounds = 0
        while friend.received.count < 2 && rounds < 50 {
            try scenario.loop.runOnce(timeoutMilliseconds: 0)
            rounds += 1
        }
        let spent = storm - scenario.simulator.stormLeft(domain: DomainID(2), port: port)
        #expect(friend.received.count >= 2, "the friendly guest got \(friend.received.count) event(s) in \(rounds) rounds")
        #expect(spent <= 4 * rounds, "the backend served \(spent) flood notifications in \(rounds) rounds first")
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
        scenario.simulator.storm(domain: DomainID(2), port: port, deliveries: 0)
        vcpu.stop()
        try scenario.run()
        #expect(vcpu.iterations > 0)
    }
}

/// A guest page handed to the flooding thread.
// @unchecked Sendable: the pointer is immutable; the page it points to is the
// shared ring, accessed on both sides with the ring protocol's barriers, as a guest would.
struct SharedPage: @unchecked Sendable {
    let address: UnsafeMutableRawPointer
    init(_ address: UnsafeMutableRawPointer) { self.address = address }
}

