// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CXen
import Testing
import XenCore
import XenSimulator

@Suite struct SharedRingTests {
    /// A frontend page with a FrontRing and the backend's BackRing over a grant mapping of it.
    final class Pair {
        let simulator = XenSimulator()
        let backend: SimulatedPlatform
        let page: UnsafeMutableRawPointer
        let mapping: GrantMapping
        var front: FrontRing
        var back: BackRing
        init() throws {
            backend = simulator.platform(for: DomainID(1))
            page = simulator.allocatePage(owner: DomainID(2))
            let ref = simulator.grantAccess(owner: DomainID(2), page: page, to: DomainID(1), readOnly: false)
            let geometry = try RingGeometry(requestSize: 8, responseSize: 8)
            front = FrontRing(initialising: page, geometry: geometry)
            mapping = try backend.grants.map(domain: DomainID(2), ref: ref, writable: true)
            back = BackRing(pages: mapping.address, geometry: geometry)
        }
        func close() throws {
            try backend.grants.unmap(mapping)
            simulator.freePage(page)
            #expect(simulator.leakReport().isEmpty)
        }
        func set(_ offset: Int, _ value: UInt32) { SharedMemory.store32(page + offset, value) }
    }

    @Test func geometryMatchesRingH() throws {
        let geometry = try RingGeometry(requestSize: 8, responseSize: 8)
        #expect(geometry.entries == cxen_test_ring_size())
        #expect(RingGeometry.headerSize == cxen_test_ring_offset())
        #expect(try RingGeometry(requestSize: 40, responseSize: 16).entries == 64)
        #expect(try RingGeometry(requestSize: 4000, responseSize: 8, pageCount: 1).entries == 1)
        #expect(throws: XenError.ringGeometryInvalid(pageCount: 1, slotSize: 4096)) {
            try RingGeometry(requestSize: 4096, responseSize: 8)
        }
    }

    @Test func requestsAndResponsesRoundTrip() throws {
        let pair = try Pair()
        var value: UInt64 = 0
        for id in UInt64(1)...100 {
            var request = id
            #expect(withUnsafeBytes(of: &request) { pair.front.putRequest($0) })
            let notify = pair.front.pushRequests()
            #expect(notify, "the backend re-armed req_event with its final check, so every push notifies")
            #expect(try withUnsafeMutableBytes(of: &value) { try pair.back.nextRequest(into: $0) })
            #expect(value == id)
            var response = id * 10
            #expect(withUnsafeBytes(of: &response) { pair.back.putResponse($0) })
            _ = pair.back.pushResponses()
            #expect(try withUnsafeMutableBytes(of: &value) { try pair.front.nextResponse(into: $0) })
            #expect(value == id * 10)
            #expect(try !pair.back.finalCheckForRequests())
        }
        try pair.close()
    }

    @Test func fullRingRefusesRequests() throws {
        let pair = try Pair()
        var request: UInt64 = 7
        for _ in 0..<Int(pair.front.geometry.entries) {
            #expect(withUnsafeBytes(of: &request) { pair.front.putRequest($0) })
        }
        #expect(!withUnsafeBytes(of: &request) { pair.front.putRequest($0) })
        _ = pair.front.pushRequests()
        #expect(try pair.back.unconsumedRequests() == pair.front.geometry.entries)
        try pair.close()
    }

    @Test func runawayProducerIsAnError() throws {
        let pair = try Pair()
        pair.set(0, pair.back.geometry.entries + 1)  // req_prod beyond what the ring can hold
        var value: UInt64 = 0
        #expect(throws: XenError.ringOverrun(producer: pair.back.geometry.entries + 1, consumer: 0,
                                            size: pair.back.geometry.entries)) {
            _ = try withUnsafeMutableBytes(of: &value) { try pair.back.nextRequest(into: $0) }
        }
        try pair.close()
    }

    @Test func responsesNeverOverrunUnansweredSlots() throws {
        let pair = try Pair()
        var response: UInt64 = 1
        #expect(!withUnsafeBytes(of: &response) { pair.back.putResponse($0) }, "no request consumed, no response slot")
        try pair.close()
    }

    /// 10,000 random values written to the shared indices: the backend never
    /// consumes more than `entries` requests per batch, and always terminates.
    @Test func hostileIndicesAreBounded() throws {
        let pair = try Pair()
        var random = SeededRandom(seed: 0x5eed)
        var buffer = [UInt8](repeating: 0, count: 64)
        var errors = 0
        for _ in 0..<10_000 {
            pair.set(Int(random.next() % 4) * 4, UInt32(truncatingIfNeeded: random.next()))
            var consumed: UInt32 = 0
            do {
                while try buffer.withUnsafeMutableBytes({ try pair.back.nextRequest(into: $0) }) {
                    consumed += 1
                    var response: UInt64 = 0
                    _ = withUnsafeBytes(of: &response) { pair.back.putResponse($0) }
                    #expect(consumed <= pair.back.geometry.entries)
                    if consumed > pair.back.geometry.entries { break }
                }
                _ = pair.back.pushResponses()
            } catch {
                errors += 1
            }
        }
        #expect(errors > 0, "random producers must sometimes be detected as runaway")
        try pair.close()
    }
}
