// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// usbif-bench: bulk IN bytes per second read through the simulated usbif path
// (frontend URB request → ring → event channel → backend poll loop →
// validation → transfer handed to the host → completion → copy into the
// guest's granted pages → response → frontend), against a memcpy of the same
// bytes in the same chunks into the same kind of page-aligned buffer (the ratio
// is the protocol's overhead). The host side is a recording USB host whose
// responder completes every bulk IN at once with a preallocated pattern, as a
// device that always has data would. Both sides are timed by the CPU time of
// this one thread (nothing sleeps; polls have zero timeouts), the fastest of
// five runs; both sides' last chunk is checked byte for byte in the
// destination, so neither copy can be skipped.
// URB sizes: 4 KiB, 16 KiB and 60 KiB (usbif's buffer_length is 16 bits).
// Usage: usbif-bench [MiB per measurement] (default 128).
import CLinux
import CXen
import UsbIf
import UsbIfSimulation
import XenCore
import XenSimulator

clinux_stdout_line_buffered()
var mebibytes = 128
if cxen_argc() > 1, let text = cxen_argv(1), let parsed = XenPath.parseUInt32(String(cString: text)), parsed > 0 {
    mebibytes = Int(parsed)
}

func fail(_ text: String) -> Never {
    print("usbif-bench: " + text)
    exit(1)
}

/// The byte the device sends at `index` of every transfer.
func patternByte(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: index &* 31 &+ 7) }

let largest = 61440
let pattern: [UInt8] = (0..<largest).map(patternByte)

/// A connected controller with a high-speed device on port 1 at address 5.
final class Bench {
    let scenario = UsbScenario()
    let frontend: SimulatedUsbFrontend
    let domain = DomainID(2)
    let address: UInt8 = 5
    var nextID: UInt16 = 0
    var responses: [UrbResponse] = []
    /// One granted buffer per URB size, reused by every run.
    var buffers: [Int: SimulatedUsbBuffer] = [:]

    init() throws(XenError) {
        scenario.host.plug(UsbBusID("1-1")!, speed: .high)
        scenario.host.responder = { transfer in
            guard transfer.isIn else { return USBCompletion(token: transfer.token, status: .ok, actualLength: transfer.length) }
            let data = transfer.length == pattern.count ? pattern : Array(pattern[0..<transfer.length])
            return USBCompletion(token: transfer.token, status: .ok, actualLength: transfer.length, data: data)
        }
        try scenario.start()
        frontend = try scenario.addController(domain: domain, ports: [1: "1-1"])
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        let setAddress: [UInt8] = [0x00, UsbIfWire.requestSetAddress, address, 0, 0, 0, 0, 0]
        try frontend.submit(UrbRequest(id: next(), pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: false, type: .control),
                                       specific: setAddress))
        try scenario.run()
        guard try frontend.responses().first?.status == 0 else { fail("SET_ADDRESS failed") }
    }

    func next() -> UInt16 {
        nextID &+= 1
        return nextID
    }

    /// Reads `total` bytes in bulk IN URBs of `chunk` bytes, one at a time (as
    /// usb-storage reads a block device); fails unless the last one arrived intact.
    func read(chunk: Int, total: Int) throws(XenError) -> UInt64 {
        let buffer = buffers[chunk] ?? frontend.allocateBuffer(byteCount: chunk)
        buffers[chunk] = buffer
        let pipe = UsbPipe(port: 1, device: address, endpoint: 1, isIn: true, type: .bulk)
        var done = 0
        let start = cpuNanoseconds()
        while done < total {
            try frontend.submit(UrbRequest(id: next(), pipe: pipe, bufferLength: UInt16(chunk), segments: buffer.segments))
            try scenario.run()
            responses = try frontend.responses()
            guard responses.count == 1, responses[0].status == 0, Int(responses[0].actualLength) == chunk else {
                fail("a bulk IN URB of \(chunk) bytes failed")
            }
            done += chunk
        }
        let elapsed = cpuNanoseconds() - start
        let received = buffer.read(count: chunk)
        for index in 0..<chunk where received[index] != patternByte(index) { fail("the guest's pages did not get the device's bytes") }
        return elapsed
    }
}

/// CPU time of this thread, ns.
func cpuNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// The same bytes in the same chunks from the same pattern into a page-aligned buffer, with memcpy only.
func memcpyBaseline(chunk: Int, total: Int) -> UInt64 {
    let destination = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096)
    defer { destination.deallocate() }
    var done = 0
    let start = cpuNanoseconds()
    pattern.withUnsafeBytes { source in
        while done < total {
            memcpy(destination.baseAddress!, source.baseAddress!, chunk)
            done += chunk
        }
    }
    let elapsed = cpuNanoseconds() - start
    for index in 0..<chunk where destination[index] != patternByte(index) { fail("memcpy lost bytes") }
    return elapsed
}

func mebibytesPerSecond(_ bytes: Int, _ nanoseconds: UInt64) -> String {
    guard nanoseconds > 0 else { return "∞" }
    let tenths = UInt64(bytes) * 10_000_000_000 / nanoseconds / (1 << 20)
    return "\(tenths / 10).\(tenths % 10)"
}

do {
    let bench = try Bench()
    let total = mebibytes << 20
    #if hasFeature(Embedded)
    let build = "Embedded Swift"
    #else
    let build = "host Swift"
    #endif
    print("usbif-bench (\(build)): \(mebibytes) MiB of bulk IN per measurement, one URB in flight")
    for chunk in [4096, 16384, largest] {
        var simulated = UInt64.max
        var baseline = UInt64.max
        for _ in 0..<5 {
            simulated = min(simulated, try bench.read(chunk: chunk, total: total))
            baseline = min(baseline, memcpyBaseline(chunk: chunk, total: total))
        }
        let permille = baseline * 1000 / max(simulated, 1)
        print("bulk IN \(chunk / 1024) KiB URBs: usbif \(mebibytesPerSecond(total, simulated)) MiB/s, memcpy "
              + "\(mebibytesPerSecond(total, baseline)) MiB/s, ratio \(permille / 10).\(permille % 10)%")
    }
} catch {
    fail(error.description)
}
