// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// libFuzzer target for the displif backend: request decoding, display buffer
// and framebuffer bookkeeping, SET_CONFIG, PG_FLIP and GET_EDID, over the
// simulated Xen with a recording (vsync) sink. Each input is a series of
// 66-byte records: a selector (which connector; bit 7: a vertical blank
// instead), one spare byte, then 64 bytes put on that connector's ring as a
// request (a DBUF_CREATE or GET_EDID whose directory is 0 gets the harness's
// page directory, so the fuzzer reaches mapped buffers). After each input the
// invariants are checked: the card stays connected, what is mapped is exactly
// the rings and the live display buffers, and it stays under the limits.
import DisplIf
import DisplIfSimulation
import XenCore
import XenSimulator

final class Harness {
    let scenario = DisplScenario(vsync: true)
    let frontend: SimulatedDisplFrontend
    let buffer: SimulatedDisplBuffer
    let domain = DomainID(2)
    var inputs = 0

    init() throws(XenError) {
        try scenario.start()
        frontend = try scenario.addFrontend(domain: domain, connectors: [("left", "64x48"), ("right", "32x24")])
        try scenario.run()
        try frontend.connect(connectors: 2)
        try scenario.run()
        try frontend.confirm()
        try scenario.run()
        buffer = frontend.allocateBuffer(byteCount: 64 * 48 * 4)
    }

    func run(_ data: UnsafeRawBufferPointer) throws(XenError) {
        var offset = 0
        while offset + 66 <= data.count {
            let selector = data[offset]
            let connector = frontend.connectors[Int(selector & 1)]
            if selector & 0x80 != 0 {
                scenario.sink.vblank()
            } else {
                if connector.ring.freeRequests == 0 {
                    try scenario.run()
                    _ = try connector.responses()
                }
                let directory = buffer.directory.rawValue
                try connector.sendRaw { packet in
                    for byte in 0..<64 { packet[byte] = data[offset + 2 + byte] }
                    let operation = packet[DisplIfWire.operationOffset]
                    let at = operation == DisplIfWire.opGetEdid ? DisplIfWire.edidDirectoryOffset : DisplIfWire.dbufDirectoryOffset
                    if operation == DisplIfWire.opDbufCreate || operation == DisplIfWire.opGetEdid,
                       PacketBytes.u32(UnsafeRawBufferPointer(packet), at) == 0 {
                        PacketBytes.put32(packet, at, directory)
                    }
                }
            }
            if selector & 0x40 != 0 { try scenario.run() }
            offset += 66
        }
        scenario.sink.vblank()
        try scenario.run()
        for connector in frontend.connectors {
            _ = try connector.responses()
            _ = connector.flipEvents()
        }
        precondition(scenario.backendState(frontend: domain) == .connected, "a well-formed ring closed the card")
        guard let device = scenario.device(frontend: domain) else { fatalError("the card's device is gone") }
        precondition(scenario.simulator.liveMappingCount == 4 + device.buffers.count, "mappings and display buffers disagree")
        precondition(device.mappedBytes <= device.options.totalBufferLimit, "more buffer bytes mapped than the limit")
        inputs += 1
        if inputs % 256 == 0 { try reconnect() }
    }

    /// Closes the card and connects it again (a fresh start for the buffers).
    func reconnect() throws(XenError) {
        try frontend.disconnect()
        try scenario.run()
        precondition(scenario.simulator.liveMappingCount == 0, "a closed card kept guest memory mapped")
        try frontend.bus.setState(.initialising)
        try scenario.run()
        try frontend.connect(connectors: 2)
        try scenario.run()
        try frontend.confirm()
        try scenario.run()
        precondition(scenario.backendState(frontend: domain) == .connected, "the card did not connect again")
    }
}

nonisolated(unsafe) var harness: Harness?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if harness == nil {
        do { harness = try Harness() } catch { fatalError("the displif harness did not connect") }
    }
    do { try harness!.run(UnsafeRawBufferPointer(start: data, count: size)) } catch {
        fatalError("displif: \(error.description)")
    }
    return 0
}
