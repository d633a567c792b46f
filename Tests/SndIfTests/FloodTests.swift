// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore
import XenSimulator

/// One guest floods the sndif backend from another vCPU — keeping its request
/// ring full while the backend answers, and notifying without pause — and a
/// second guest's request on the same backend is still answered. The bound is
/// on progress (poll rounds, flood requests served first), not on time.
@Suite struct SndFloodTests {
    @Test func friendlyGuestIsAnsweredWhileAnotherFloodsItsRing() throws {
        let scenario = SndScenario()
        try scenario.start()
        let friend = try scenario.addFrontend(domain: DomainID(3), pcms: [[SndStreamSpec(.playback, uniqueID: "friend")]])
        let flooder = try scenario.addFrontend(domain: DomainID(2), pcms: [[SndStreamSpec(.playback, uniqueID: "flood")]])
        try scenario.run()
        try friend.connect(pcms: [[0]])
        try flooder.connect(pcms: [[0]])
        try scenario.run()
        #expect(scenario.backendState(frontend: DomainID(2)) == .connected)
        let ring = RingPage(flooder.streams[0].ringPage)
        let entries = flooder.streams[0].ring.geometry.entries
        let cap: UInt32 = 20_000  // the flood ends by itself, so a backend without a budget still returns
        var produced: UInt32 = 0
        let vcpu = FloodingGuest { _ in
            guard produced < cap else { return }
            let responses = SharedMemory.load32(ring.address + 8)
            var next = SharedMemory.load32(ring.address)
            while next &- responses < entries && produced < cap {
                let slot = ring.address + 64 + Int(next % entries) * SndIfWire.packetSize
                SharedMemory.store32(slot, next & 0xFFFF | 0xEE << 16)  // id, operation 0xEE (undefined)
                next &+= 1
                produced += 1
            }
            SharedMemory.writeBarrier()
            SharedMemory.store32(ring.address, next)
        }
        vcpu.start()
        defer { vcpu.stop() }
        scenario.simulator.storm(domain: DomainID(2), port: flooder.streams[0].requestPort, deliveries: 100_000)
        let floodStream = try #require(scenario.device(frontend: DomainID(2))?.streams.first)
        while vcpu.iterations < 2 {}  // the other vCPU has filled the ring
        let servedBefore = floodStream.requestsServed
        try friend.streams[0].send(SndRequest(id: 0, operation: SndIfWire.opClose, body: .close))
        var answers: [SndResponse] = []
        var rounds = 0
        while answers.isEmpty && rounds < 50 {
            try scenario.loop.runOnce(timeoutMilliseconds: 0)
            try friend.streams[0].responses(into: &answers)
            rounds += 1
        }
        let floodServed = floodStream.requestsServed - servedBefore
        #expect(answers.count == 1 && answers.first?.status == 0, "no answer in \(rounds) rounds")
        #expect(floodServed <= 4 * Int(entries) * rounds, "\(floodServed) flood requests served in \(rounds) rounds first")
        scenario.simulator.storm(domain: DomainID(2), port: flooder.streams[0].requestPort, deliveries: 0)
        vcpu.stop()
    }
}

/// A guest ring page handed to the flooding thread.
// @unchecked Sendable: the pointer is immutable; the page it points to is the
// shared ring, accessed on both sides with the ring protocol's barriers, as a guest would.
struct RingPage: @unchecked Sendable {
    let address: UnsafeMutableRawPointer
    init(_ address: UnsafeMutableRawPointer) { self.address = address }
}
