// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import XenCore
import XenSimulator

/// One stream as the toolstack declares it under `<fe>/<pcm>/<stream>`.
public struct SndStreamSpec: Equatable, Sendable {
    public var direction: PCMDirection
    public var uniqueID: String
    /// Extra stream-level nodes (`sample-rates`, `buffer-size`, …).
    public var nodes: [String: String]
    public init(_ direction: PCMDirection, uniqueID: String, nodes: [String: String] = [:]) {
        self.direction = direction
        self.uniqueID = uniqueID
        self.nodes = nodes
    }
}

/// What Linux's snd_xen_front does on the frontend side of one vsnd card, in
/// the simulation: per stream a request ring (`ring-ref`, `event-channel`) and
/// an event page (`evt-ring-ref`, `evt-event-channel`), shared buffers
/// described by page directories, requests sent and responses and
/// XENSND_EVT_CUR_POS events read back.
public final class SimulatedSndFrontend {
    public let bus: SimulatedFrontendBus
    public private(set) var streams: [SimulatedSndStream] = []

    /// Attaches to the device directory the toolstack created.
    public init(simulator: XenSimulator, domain: DomainID, frontendPath: String) throws(XenError) {
        bus = try SimulatedFrontendBus(simulator: simulator, domain: domain, frontendPath: frontendPath)
    }

    /// Allocates every stream's pages and ports for the streams found under
    /// `pcms` (pcm index → stream indices), publishes them, and switches to Initialised.
    public func connect(pcms: [[UInt32]]) throws(XenError) {
        try bus.watchBackend()
        streams.removeAll()
        let geometry = try RingGeometry(requestSize: SndIfWire.packetSize, responseSize: SndIfWire.packetSize)
        for (pcmIndex, indices) in pcms.enumerated() {
            for streamIndex in indices {
                let ring = bus.allocateGrantedPage()
                let events = bus.allocateGrantedPage()
                let requestPort = try bus.allocatePort()
                let eventPort = try bus.allocatePort()
                let prefix = String(pcmIndex) + "/" + String(streamIndex) + "/"
                try bus.write(prefix + SndIfWire.fieldRingRef, ring.ref.description)
                try bus.write(prefix + SndIfWire.fieldEventChannel, requestPort.description)
                try bus.write(prefix + SndIfWire.fieldEventRingRef, events.ref.description)
                try bus.write(prefix + SndIfWire.fieldEventEventChannel, eventPort.description)
                streams.append(SimulatedSndStream(bus: bus, ring: FrontRing(initialising: ring.page, geometry: geometry),
                                                  ringPage: ring.page, eventPage: events.page,
                                                  requestPort: requestPort, eventPort: eventPort))
            }
        }
        try bus.setState(.initialised)
    }

    /// Closes like a frontend being unloaded: state Closed, then pages and grants released.
    public func disconnect() throws(XenError) {
        try bus.setState(.closed)
    }

    /// Frees pages, grants and ports (after the backend has let go).
    public func release() {
        streams.removeAll()
        bus.release()
    }
}

/// A shared buffer of a simulated frontend: its pages and the first page of
/// the page directory that lists them.
public struct SimulatedSndBuffer {
    public let directory: GrantRef
    public let pages: [UnsafeMutableRawPointer]
    public let byteCount: Int

    /// Copies `bytes` into the buffer at `offset` (across page boundaries).
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        var done = 0
        while done < bytes.count {
            let position = offset + done
            let inPage = position % XenPage.size
            let count = min(XenPage.size - inPage, bytes.count - done)
            SharedMemory.copy(to: pages[position / XenPage.size] + inPage, from: bytes.baseAddress! + done, count: count)
            done += count
        }
    }

    /// Copies `count` bytes out of the buffer from `offset`.
    public func read(at offset: Int, count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        result.withUnsafeMutableBytes { bytes in
            var done = 0
            while done < count {
                let position = offset + done
                let inPage = position % XenPage.size
                let step = min(XenPage.size - inPage, count - done)
                SharedMemory.copy(to: bytes.baseAddress! + done, from: pages[position / XenPage.size] + inPage, count: step)
                done += step
            }
        }
        return result
    }
}
