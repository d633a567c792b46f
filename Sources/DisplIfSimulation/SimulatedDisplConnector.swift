// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import XenCore
import XenSimulator

/// The frontend end of one simulated displif connector: its request ring and
/// event page, as xen-drm-front sets them up.
package final class SimulatedDisplConnector {
    let bus: SimulatedFrontendBus
    package private(set) var ring: FrontRing
    package let ringPage: UnsafeMutableRawPointer
    package let eventPage: UnsafeMutableRawPointer
    package let requestPort: Port
    package let eventPort: Port
    private var nextID: UInt16 = 0
    /// The id the next event must carry (xen-drm-front counts from 0 and skips others).
    private var expectedEventID: UInt16 = 0
    private var packet = [UInt8](repeating: 0, count: DisplIfWire.packetSize)

    init(bus: SimulatedFrontendBus, ring: FrontRing, ringPage: UnsafeMutableRawPointer, eventPage: UnsafeMutableRawPointer,
         requestPort: Port, eventPort: Port) {
        self.bus = bus
        self.ring = ring
        self.ringPage = ringPage
        self.eventPage = eventPage
        self.requestPort = requestPort
        self.eventPort = eventPort
    }

    /// Puts a request (its id replaced by the next id) on the ring, publishes
    /// it and notifies the backend if it asked; returns the id used.
    @discardableResult
    package func send(_ request: DisplRequest) throws(XenError) -> UInt16 {
        var copy = request
        copy.id = nextID
        nextID &+= 1
        try sendRaw { copy.encode(into: $0) }
        return copy.id
    }

    /// Puts 64 arbitrary bytes on the ring (hostile frontends).
    package func sendRaw(_ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(XenError) {
        let put = packet.withUnsafeMutableBytes { bytes -> Bool in
            fill(bytes)
            return ring.putRequest(UnsafeRawBufferPointer(bytes))
        }
        guard put else { throw .frontendProtocolViolation(domain: bus.domain, reason: "simulated request ring full") }
        if ring.pushRequests() { try bus.notify(requestPort) }
    }

    /// Every response the backend published since the last call.
    package func responses() throws(XenError) -> [DisplResponse] {
        var result: [DisplResponse] = []
        while true {
            var got = false
            var failure: XenError?
            packet.withUnsafeMutableBytes { bytes in
                do throws(XenError) { got = try ring.nextResponse(into: bytes) } catch { failure = error }
            }
            if let failure { throw failure }
            if !got {
                if ring.finalCheckForResponses() { continue }
                return result
            }
            result.append(packet.withUnsafeBytes { DisplResponse(decoding: $0) })
        }
    }

    /// The `fb_cookie` of every XENDISPL_EVT_PG_FLIP since the last call,
    /// consumed by moving `in_cons`. As xen-drm-front does, an event whose id is
    /// not the next in sequence is skipped.
    package func flipEvents() -> [UInt64] {
        var result: [UInt64] = []
        var consumer = SharedMemory.load32(eventPage + DisplIfWire.eventInConsOffset)
        let producer = SharedMemory.load32(eventPage + DisplIfWire.eventInProdOffset)
        SharedMemory.readBarrier()
        if producer &- consumer > DisplIfWire.eventRingLength {  // in_cons was scribbled: resynchronise
            SharedMemory.store32(eventPage + DisplIfWire.eventInConsOffset, producer)
            return result
        }
        while consumer != producer {
            let slot = eventPage + DisplIfWire.eventRingOffset + Int(consumer % DisplIfWire.eventRingLength) * DisplIfWire.packetSize
            let id = UInt16(SharedMemory.load32(slot) & 0xFFFF)
            let expected = expectedEventID
            expectedEventID &+= 1
            if id == expected, slot.load(fromByteOffset: DisplIfWire.operationOffset, as: UInt8.self) == DisplIfWire.eventPageFlip {
                let low = UInt64(SharedMemory.load32(slot + DisplIfWire.cookieOffset))
                let high = UInt64(SharedMemory.load32(slot + DisplIfWire.cookieOffset + 4))
                result.append(low | high << 32)
            }
            consumer &+= 1
        }
        SharedMemory.store32(eventPage + DisplIfWire.eventInConsOffset, consumer)
        return result
    }
}
