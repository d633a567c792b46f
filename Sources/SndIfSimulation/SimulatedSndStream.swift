// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import XenCore
import XenSimulator

/// The frontend end of one simulated sndif stream.
package final class SimulatedSndStream {
    let bus: SimulatedFrontendBus
    package private(set) var ring: FrontRing
    package let ringPage: UnsafeMutableRawPointer
    package let eventPage: UnsafeMutableRawPointer
    package let requestPort: Port
    package let eventPort: Port
    private var nextID: UInt16 = 0
    /// One packet being encoded or decoded (allocated once for the stream's life).
    private let packet = UnsafeMutableRawBufferPointer.allocate(byteCount: SndIfWire.packetSize, alignment: 8)

    init(bus: SimulatedFrontendBus, ring: FrontRing, ringPage: UnsafeMutableRawPointer, eventPage: UnsafeMutableRawPointer,
         requestPort: Port, eventPort: Port) {
        self.bus = bus
        self.ring = ring
        self.ringPage = ringPage
        self.eventPage = eventPage
        self.requestPort = requestPort
        self.eventPort = eventPort
        packet.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { packet.deallocate() }

    /// Puts a request (its id replaced by the next id) on the ring, publishes
    /// it and notifies the backend if it asked; returns the id used.
    @discardableResult
    package func send(_ request: SndRequest) throws(XenError) -> UInt16 {
        var copy = request
        copy.id = nextID
        nextID &+= 1
        try sendRaw { copy.encode(into: $0) }
        return copy.id
    }

    /// Puts 64 arbitrary bytes on the ring (hostile frontends).
    package func sendRaw(_ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(XenError) {
        fill(packet)
        guard ring.putRequest(UnsafeRawBufferPointer(packet)) else { throw .frontendProtocolViolation(domain: bus.domain, reason: "simulated request ring full") }
        if ring.pushRequests() { try bus.notify(requestPort) }
    }

    /// Every response the backend published since the last call.
    package func responses() throws(XenError) -> [SndResponse] {
        var result: [SndResponse] = []
        try responses(into: &result)
        return result
    }

    /// Appends every response the backend published since the last call
    /// (a caller polling in a loop reuses one array).
    package func responses(into result: inout [SndResponse]) throws(XenError) {
        while true {
            guard try ring.nextResponse(into: packet) else {
                if ring.finalCheckForResponses() { continue }
                return
            }
            result.append(SndResponse(decoding: UnsafeRawBufferPointer(packet)))
        }
    }

    /// Every XENSND_EVT_CUR_POS position (octets) the backend produced since
    /// the last call, consumed by moving `in_cons`.
    package func positionEvents() -> [UInt64] {
        var result: [UInt64] = []
        positionEvents(into: &result)
        return result
    }

    /// Appends the positions produced since the last call (see `positionEvents()`).
    package func positionEvents(into result: inout [UInt64]) {
        var consumer = SharedMemory.load32(eventPage + SndIfWire.eventInConsOffset)
        let producer = SharedMemory.load32(eventPage + SndIfWire.eventInProdOffset)
        SharedMemory.readBarrier()
        if producer &- consumer > SndIfWire.eventRingLength {  // in_cons was scribbled: resynchronise
            SharedMemory.store32(eventPage + SndIfWire.eventInConsOffset, producer)
            return
        }
        while consumer != producer {
            let slot = eventPage + SndIfWire.eventRingOffset + Int(consumer % SndIfWire.eventRingLength) * SndIfWire.packetSize
            let type = slot.load(fromByteOffset: SndIfWire.operationOffset, as: UInt8.self)
            if type == SndIfWire.eventCurrentPosition {
                let low = UInt64(SharedMemory.load32(slot + SndIfWire.eventPositionOffset))
                let high = UInt64(SharedMemory.load32(slot + SndIfWire.eventPositionOffset + 4))
                result.append(low | high << 32)
            }
            consumer &+= 1
        }
        SharedMemory.store32(eventPage + SndIfWire.eventInConsOffset, consumer)
    }

    /// Allocates a `byteCount`-byte buffer and the page directory listing it
    /// (`struct xensnd_page_directory`, chained when more than 1023 pages).
    package func allocateBuffer(byteCount: Int) -> SimulatedSndBuffer {
        let directory = SimulatedPageDirectory(bus: bus, byteCount: byteCount)
        return SimulatedSndBuffer(directory: directory.directoryRef, pages: directory.pages, byteCount: byteCount)
    }
}
