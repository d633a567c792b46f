// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// kbdif-bench: events per second through the simulated vkbd path and the
// per-event cost in ns. Two measurements:
//  1. end to end: scripted evdev frames → translation → shared ring → event
//     channel → simulated frontend consuming and notifying back, all through
//     the poll loop;
//  2. ring only: KbdEventRing put/publish plus a consumer copying events out.
// Each is printed next to its anchor, measured in the same run: memcpy of the
// same number of event bytes (one call of the shared-memory copy), as a ratio.
// Usage: kbdif-bench [events] (default 200000).
import CLinux
import CXen
import KbdIf
import KbdIfSimulation
import XenCore
import XenSimulator

clinux_stdout_line_buffered()
/// Events per measurement: the first argument, or 200,000.
let total: Int = {
    if cxen_argc() > 1, let text = cxen_argv(1), let parsed = XenPath.parseUInt32(String(cString: text)), parsed > 0 {
        return Int(parsed)
    }
    return 200_000
}()

func perSecond(_ events: Int, _ nanoseconds: UInt64) -> UInt64 {
    nanoseconds == 0 ? 0 : UInt64(events) * 1_000_000_000 / nanoseconds
}

/// Nanoseconds memcpy takes for the bytes of `events` kbdif events (the anchor; the fastest of 5).
func memcpyNanoseconds(events: Int) -> UInt64 {
    let bytes = events * KbdIfWire.eventSize
    let source = [UInt8](repeating: 0x5a, count: bytes)
    var destination = [UInt8](repeating: 0, count: bytes)
    var best = UInt64.max
    for _ in 0..<5 {
        let start = clinux_monotonic_ns()
        source.withUnsafeBytes { from in
            destination.withUnsafeMutableBytes { to in
                SharedMemory.copy(to: to.baseAddress!, from: from.baseAddress!, count: bytes)
            }
        }
        best = min(best, max(clinux_monotonic_ns() - start, 1))
    }
    return best
}

func report(_ name: String, events: Int, nanoseconds: UInt64) {
    let perEvent = nanoseconds / UInt64(max(events, 1))
    let anchor = memcpyNanoseconds(events: events)
    let ratio = perSecond(events, nanoseconds) == 0 ? 0 : perSecond(events, anchor) / perSecond(events, nanoseconds)
    print(name + ": \(events) events in \(nanoseconds / 1_000_000) ms, \(perSecond(events, nanoseconds)) events/s, "
          + "\(perEvent) ns/event; memcpy of the same bytes \(perSecond(events, anchor)) events/s, "
          + "memcpy/this \(ratio)x")
}

func endToEnd() throws(XenError) {
    let scenario = KbdScenario()
    try scenario.start()
    let frontend = try scenario.addFrontend(domain: DomainID(2), requests: .init(absolute: true))
    try scenario.run()
    guard frontend.state == .connected else {
        print("kbdif-bench: the simulated frontend did not connect")
        exit(1)
    }
    // Key press + release per frame: two kbdif events per frame, 16 frames per batch.
    var batch: [InputEvent] = []
    for index in 0..<16 {
        let code = UInt16(KEY_A) + UInt16(index % 20)
        batch.append(InputEvent(type: UInt16(EV_KEY), code: code, value: 1))
        batch.append(InputEvent(type: UInt16(EV_KEY), code: code, value: 0))
        batch.append(InputEvent(type: UInt16(EV_SYN), code: UInt16(SYN_REPORT), value: 0))
    }
    var sent = 0
    let start = clinux_monotonic_ns()
    while sent < total {
        scenario.input.push(batch)
        try scenario.run()
        sent += 32
        if frontend.received.count > 4096 { frontend.clearReceived() }
    }
    let elapsed = clinux_monotonic_ns() - start
    guard let device = scenario.backend.devices.first, device.eventsDelivered == sent,
          device.backlog.overflowCount == 0 else {
        print("kbdif-bench: events were lost")
        exit(1)
    }
    report("end-to-end (poll loop, event channel, frontend)", events: sent, nanoseconds: elapsed)
}

func ringOnly() {
    let simulator = XenSimulator()
    let page = simulator.allocatePage(owner: DomainID(2))
    var ring = KbdEventRing(page: page)
    var consumer: UInt32 = 0
    var slot = [UInt8](repeating: 0, count: KbdIfWire.eventSize)
    var checksum: UInt32 = 0
    let start = clinux_monotonic_ns()
    var produced = 0
    while produced < total {
        var free = (try? ring.freeSlots()) ?? 0
        while free > 0 && produced < total {
            ring.put(.key(code: UInt32(produced & 0xff), pressed: true))
            produced += 1
            free -= 1
        }
        _ = ring.publish()
        let producer = SharedMemory.load32(page + KbdIfWire.inProdOffset)
        SharedMemory.readBarrier()
        while consumer != producer {
            let source = page + KbdIfWire.inRingOffset + Int(consumer % KbdIfWire.inRingLength) * KbdIfWire.eventSize
            slot.withUnsafeMutableBytes { SharedMemory.copy(to: $0.baseAddress!, from: source, count: KbdIfWire.eventSize) }
            checksum &+= UInt32(slot[4])
            consumer &+= 1
        }
        SharedMemory.fullBarrier()
        SharedMemory.store32(page + KbdIfWire.inConsOffset, consumer)
    }
    let elapsed = clinux_monotonic_ns() - start
    simulator.freePage(page)
    report("ring only (put, publish, consume; checksum \(checksum))", events: produced, nanoseconds: elapsed)
}

do {
    try endToEnd()
} catch {
    print("kbdif-bench: " + error.description)
    exit(1)
}
ringOnly()
