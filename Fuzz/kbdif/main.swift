// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// libFuzzer target for the kbdif backend: evdev translation (keys, relative
// and absolute pointers, multi-touch slots), the event page producer, the
// backlog and the out-ring, over the simulated Xen with a scripted input
// device. Each input is a series of 9-byte records: a kind, then 8 bytes:
// an evdev event (type, code, value) pushed to the device, an `in_cons` or
// `out_prod` the guest writes, or the guest pausing/resuming its reading.
// After each input the invariants are checked: the simulation settles, and a
// frontend closed for impossible indices reconnects and gets events again.
import KbdIf
import KbdIfSimulation
import XenCore
import XenSimulator

final class Harness {
    let scenario = KbdScenario()
    let frontend: SimulatedKbdFrontend
    let domain = DomainID(2)
    var events: [InputEvent] = []

    init() throws(XenError) {
        try scenario.start()
        frontend = try scenario.addFrontend(domain: domain, requests: .init(absolute: true, raw: true, multiTouch: true))
        try scenario.run()
    }

    func run(_ data: UnsafeRawBufferPointer) throws(XenError) {
        var offset = 0
        events.removeAll(keepingCapacity: true)
        while offset + 9 <= data.count {
            let kind = data[offset]
            let a = UInt16(data[offset + 1]) | UInt16(data[offset + 2]) << 8
            let b = UInt16(data[offset + 3]) | UInt16(data[offset + 4]) << 8
            let value = UInt32(data[offset + 5]) | UInt32(data[offset + 6]) << 8 | UInt32(data[offset + 7]) << 16
                | UInt32(data[offset + 8]) << 24
            switch kind & 7 {
            case 0, 1, 2, 3:  // an evdev event (types mostly EV_SYN/KEY/REL/ABS)
                events.append(InputEvent(type: kind & 3 == 3 ? a : a & 3, code: b, value: Int32(bitPattern: value)))
            case 4:
                flush()
                if let page = frontend.page { SharedMemory.store32(page + KbdIfWire.inConsOffset, value) }
            case 5:
                flush()
                if let page = frontend.page { SharedMemory.store32(page + KbdIfWire.outProdOffset, value) }
                if let port = frontend.port { try frontend.bus.notify(port) }
            case 6:
                flush()
                frontend.paused = value & 1 != 0
            default:
                flush()
                try scenario.run()
            }
            offset += 9
        }
        flush()
        try scenario.run()
        frontend.paused = false
        try scenario.run()
        if scenario.backendState(frontend: domain) != .connected {
            frontend.reconnect()
            try scenario.run()
            precondition(scenario.backendState(frontend: domain) == .connected, "the frontend did not connect again")
        }
        frontend.clearReceived()
    }

    private func flush() {
        guard !events.isEmpty else { return }
        scenario.input.push(events)
        events.removeAll(keepingCapacity: true)
    }
}

nonisolated(unsafe) var harness: Harness?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if harness == nil {
        do { harness = try Harness() } catch { fatalError("the kbdif harness did not connect") }
    }
    do { try harness!.run(UnsafeRawBufferPointer(start: data, count: size)) } catch {
        fatalError("kbdif: \(error.description)")
    }
    return 0
}
