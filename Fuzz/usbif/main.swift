// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// libFuzzer target for the usbif backend: URB decoding, validation (segments,
// setup packets, isochronous descriptors), SET_ADDRESS, unlinks and
// completions, over the simulated Xen with a recording USB host. Each input
// is a series of 150-byte records: a selector, a status byte, then 148 bytes
// put on the URB ring as a request (a segment whose grant ref is 0 gets the
// ref of the harness's granted page of that index, so the fuzzer reaches
// mapped buffers). Selector bit 7 completes every transfer at the host with
// that status instead. After each input every transfer is completed and the
// invariants checked: the controller stays connected and nothing but the two
// rings is mapped.
import UsbIf
import UsbIfSimulation
import XenCore
import XenSimulator

final class Harness {
    let scenario = UsbScenario()
    let frontend: SimulatedUsbFrontend
    let buffer: SimulatedUsbBuffer
    let domain = DomainID(2)

    init() throws(XenError) {
        scenario.host.plug(UsbBusID("1-1")!, speed: .high)
        try scenario.start()
        frontend = try scenario.addController(domain: domain, ports: [1: "1-1"])
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        _ = try frontend.connEvents()
        buffer = frontend.allocateBuffer(byteCount: UsbIfWire.maxSegments * XenPage.size)
    }

    func completeAll(_ status: UsbStatus) {
        for transfer in scenario.host.inFlight {
            scenario.host.complete(transfer.token, status: status, data: [UInt8](repeating: 0x5A, count: transfer.isIn ? transfer.length : 0),
                                   isoPackets: transfer.isoPacketLengths.map { USBIsoPacketResult(actualLength: $0, status: status) })
        }
    }

    func run(_ data: UnsafeRawBufferPointer) throws(XenError) {
        var offset = 0
        while offset + 150 <= data.count {
            let selector = data[offset]
            if selector & 0x80 != 0 {
                completeAll(UsbStatus(rawValue: -Int32(data[offset + 1] & 0x7F)) ?? .ok)
            } else {
                if frontend.urbRing?.freeRequests == 0 {
                    try scenario.run()
                    _ = try frontend.responses()
                    if frontend.urbRing?.freeRequests == 0 {
                        completeAll(.ok)
                        try scenario.run()
                        _ = try frontend.responses()
                    }
                }
                let refs = buffer.segments.map { $0.ref.rawValue }
                try frontend.submitRaw { packet in
                    for byte in 0..<UsbIfWire.requestSize { packet[byte] = data[offset + 2 + byte] }
                    for index in 0..<UsbIfWire.maxSegments {
                        let base = UsbIfWire.requestSegmentsOffset + index * UsbIfWire.segmentSize
                        if PacketBytes.u32(UnsafeRawBufferPointer(packet), base) == 0 { PacketBytes.put32(packet, base, refs[index]) }
                    }
                }
            }
            if selector & 0x40 != 0 { try scenario.run() }
            offset += 150
        }
        for _ in 0..<64 {
            try scenario.run()
            _ = try frontend.responses()
            guard let device = scenario.device(frontend: domain) else { break }
            if scenario.host.inFlight.isEmpty && device.waitingCount == 0 { break }
            completeAll(.ok)
        }
        precondition(scenario.backendState(frontend: domain) == .connected, "a well-formed ring closed the controller")
        precondition(scenario.host.inFlight.isEmpty, "transfers stayed at the host after every completion")
        precondition(scenario.simulator.liveMappingCount == 2, "an answered URB kept guest memory mapped")
    }
}

nonisolated(unsafe) var harness: Harness?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if harness == nil {
        do { harness = try Harness() } catch { fatalError("the usbif harness did not connect") }
    }
    do { try harness!.run(UnsafeRawBufferPointer(start: data, count: size)) } catch {
        fatalError("usbif: \(error.description)")
    }
    return 0
}
