// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// displif-bench: frames per second through the simulated displif copy path
// (frontend PG_FLIP request → ring → event channel → backend poll loop →
// cookie and bounds checks → copy out of the mapped display buffer into the
// sink's screen buffer → response and PG_FLIP event → frontend), against a
// plain memcpy of the same frame (the fastest of five runs of each is compared),
// in wall time (frames/s) and in CPU time per frame (CLOCK_PROCESS_CPUTIME_ID:
// the backend's work per frame, with the simulated frontend's small share).
// Usage: displif-bench [frames per measurement] (default 600), at 1024x768 XRGB8888.
import CLinux
import CXen
import DisplIf
import DisplIfSimulation
import XenCore
import XenSimulator

clinux_stdout_line_buffered()
var frameCount = 600
if cxen_argc() > 1, let text = cxen_argv(1), let parsed = XenPath.parseUInt32(String(cString: text)), parsed > 0 {
    frameCount = Int(parsed)
}
let width = 1024, height = 768
let frameBytes = width * height * 4

func fail(_ text: String) -> Never {
    print("displif-bench: " + text)
    exit(1)
}

/// A connected card with one connector showing a 1024x768 framebuffer.
final class Bench {
    let simulator = XenSimulator()
    let sink = CopySink()
    let loop = PollLoop()
    let backend: DisplIfBackend<SimulatedPlatform, CopySink>
    let frontend: SimulatedDisplFrontend
    let screen: SimulatedDisplConnector

    init() throws(XenError) {
        let toolstack = SimulatedToolstack(simulator: simulator)
        backend = DisplIfBackend(platform: simulator.platform(for: DomainID(1)), sink: sink,
                                 options: DisplIfOptions(bindings: GuestBindings([GuestBinding(guest: "bench", id: "bench", target: "Virtual-1")])), log: .discard)
        loop.add(backend)
        try backend.start()
        let paths = try toolstack.createDevice(type: DisplIfWire.deviceType, backend: DomainID(1), frontend: DomainID(2), devid: 0)
        try toolstack.store.write(paths.frontend + "/0/resolution", "\(width)x\(height)")
        try toolstack.store.write(paths.frontend + "/0/unique-id", "bench")
        try toolstack.nameDomain(DomainID(2), "bench")
        frontend = try SimulatedDisplFrontend(simulator: simulator, domain: DomainID(2), frontendPath: paths.frontend)
        try loop.runUntilIdle()
        try frontend.connect(connectors: 1)
        try loop.runUntilIdle()
        guard frontend.connectors.count == 1 else { fail("the simulated frontend did not connect") }
        screen = frontend.connectors[0]
        let buffer = frontend.allocateBuffer(byteCount: frameBytes)
        buffer.fill(width: width, height: height, pitch: width * 4) { x, y in UInt32(x &* 31 &+ y) }
        try call(.dbufCreate(dbufCookie: 1, width: UInt32(width), height: UInt32(height), bpp: 32, bufferBytes: UInt32(frameBytes),
                             flags: 0, directory: buffer.directory.rawValue, dataOffset: 0))
        try call(.fbAttach(dbufCookie: 1, fbCookie: 2, width: UInt32(width), height: UInt32(height),
                           pixelFormat: PixelFormat.xrgb8888.rawValue))
        try call(.setConfig(fbCookie: 2, x: 0, y: 0, width: UInt32(width), height: UInt32(height), bpp: 32))
    }

    /// One request, run until answered; fails the benchmark on a bad status.
    func call(_ body: DisplRequest.Body) throws(XenError) {
        try screen.send(DisplRequest(body))
        try loop.runUntilIdle()
        let responses = try screen.responses()
        guard responses.count == 1, responses[0].status == 0 else { fail("request \(DisplRequest(body).operation) failed") }
    }

    /// `count` page flips, each answered and its event read before the next, as
    /// xen-drm-front does: (wall, CPU) nanoseconds.
    func flips(_ count: Int) throws(XenError) -> (wall: UInt64, cpu: UInt64) {
        let start = clinux_monotonic_ns(), cpuStart = cpuNanoseconds()
        for _ in 0..<count {
            try call(.pageFlip(fbCookie: 2))
            guard screen.flipEvents() == [2] else { fail("no PG_FLIP event") }
        }
        return (clinux_monotonic_ns() - start, cpuNanoseconds() - cpuStart)
    }
}

/// CPU time this process used so far (CLOCK_PROCESS_CPUTIME_ID), in nanoseconds.
func cpuNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func memcpyBaseline(_ count: Int) -> (wall: UInt64, cpu: UInt64) {
    let source = UnsafeMutableRawPointer.allocate(byteCount: frameBytes, alignment: 64)
    let destination = UnsafeMutableRawPointer.allocate(byteCount: frameBytes, alignment: 64)
    defer {
        source.deallocate()
        destination.deallocate()
    }
    for index in 0..<frameBytes { source.storeBytes(of: UInt8(truncatingIfNeeded: index), toByteOffset: index, as: UInt8.self) }
    var best = (wall: UInt64.max, cpu: UInt64.max)
    for _ in 0..<5 {
        let start = clinux_monotonic_ns(), cpuStart = cpuNanoseconds()
        for _ in 0..<count { memcpy(destination, source, frameBytes) }
        best = (min(best.wall, clinux_monotonic_ns() - start), min(best.cpu, cpuNanoseconds() - cpuStart))
    }
    return best
}

/// `value` hundredths as "X.XX".
func hundredths(_ value: UInt64) -> String {
    let fraction = value % 100
    return "\(value / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

func perSecond(_ frames: Int, _ nanoseconds: UInt64) -> Int { nanoseconds == 0 ? 0 : Int(UInt64(frames) * 1_000_000_000 / nanoseconds) }

do throws(XenError) {
    let bench = try Bench()
    _ = try bench.flips(10)  // warm up
    var simulated = (wall: UInt64.max, cpu: UInt64.max)
    for _ in 0..<5 {
        let run = try bench.flips(frameCount)
        simulated = (min(simulated.wall, run.wall), min(simulated.cpu, run.cpu))
    }
    let copy = memcpyBaseline(frameCount)
    let simulatedRate = perSecond(frameCount, simulated.wall)
    let copyRate = perSecond(frameCount, copy.wall)
    let frames = UInt64(frameCount)
    print("displif-bench: \(width)x\(height) XRGB8888, \(frameCount) frames per measurement")
    print("displif-bench: simulated PG_FLIP copy path: \(simulatedRate) flips/s, CPU \(simulated.cpu / frames / 1000) µs per frame")
    print("displif-bench: memcpy of the same frame:    \(copyRate) frames/s, CPU \(copy.cpu / frames / 1000) µs per frame")
    print("displif-bench: ratio simulated/memcpy: \(copyRate == 0 ? 0 : simulatedRate * 100 / copyRate) % of the frame rate")
    print("displif-bench: backend CPU per frame / memcpy CPU per frame: \(hundredths(copy.cpu == 0 ? 0 : simulated.cpu * 100 / copy.cpu))x"
        + " (goal <= 1.50x)")
    guard bench.sink.frames == 5 * frameCount + 11 else { fail("the sink saw \(bench.sink.frames) frames") }
} catch {
    fail(error.description)
}
