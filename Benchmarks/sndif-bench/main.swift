// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// sndif-bench: playback frames per second copied through the simulated sndif
// path (frontend WRITE request → ring → event channel → backend poll loop →
// bounds check → copy out of the mapped shared buffer into the device's ring
// buffer → response → frontend), against a plain memcpy of the same bytes in
// the same chunks from the same 256 KiB source into the same 1 MiB ring (the
// ratio is the protocol's overhead). Both sides are timed the same way: the
// CPU time of the benchmark's one thread (nothing in it sleeps: every poll has
// a zero timeout, so this is wall time minus what other processes took on a
// shared machine), the fastest of five runs, and both sides' last chunk is checked byte for byte
// in the destination, so neither copy can be optimised away or skipped.
// First the floor under every round trip: the four system calls one simulated
// round trip makes (event-channel pipe write, poll, read, and the poll that
// finds the loop idle) with nothing else; each row also prints its ceiling,
// the ratio it would reach if a round trip cost only those. Last the request
// round-trip latency in µs.
// Transfers: 4, 16 and 64 KiB are about 21, 85 and 341 ms of 48 kHz S16_LE stereo.
// Usage: sndif-bench [MiB per measurement] (default 256).
import CLinux
import CXen
import SndIf
import SndIfSimulation
import XenCore
import XenSimulator

clinux_stdout_line_buffered()
var mebibytes = 256
if cxen_argc() > 1, let text = cxen_argv(1), let parsed = XenPath.parseUInt32(String(cString: text)), parsed > 0 {
    mebibytes = Int(parsed)
}
let frameBytes = 4  // S16_LE stereo
let bufferBytes = 256 * 1024
/// Period given at OPEN, as snd_xen_front always gives one: the backend sends a
/// position event each time playback crosses it, and the frontend reads them.
let periodBytes = 16 * 1024

func fail(_ text: String) -> Never {
    print("sndif-bench: " + text)
    exit(1)
}

/// A connected, opened and started playback stream served by the sink.
final class Bench {
    let simulator = XenSimulator()
    let provider = SinkProvider()
    let loop = PollLoop()
    let backend: SndIfBackend<SimulatedPlatform, SinkProvider>
    let stream: SimulatedSndStream
    let buffer: SimulatedSndBuffer
    let frontend: SimulatedSndFrontend

    init() throws(XenError) {
        let toolstack = SimulatedToolstack(simulator: simulator)
        try toolstack.nameDomain(DomainID(2), "bench")
        backend = SndIfBackend(platform: simulator.platform(for: DomainID(1)), provider: provider,
                               bindings: GuestBindings([GuestBinding(guest: "bench", id: "0", direction: "p", target: "sink")]),
                               log: .discard)
        loop.add(backend)
        try backend.start()
        let paths = try toolstack.createDevice(type: SndIfWire.deviceType, backend: DomainID(1), frontend: DomainID(2), devid: 0)
        try toolstack.store.write(paths.frontend + "/0/0/type", "p")
        try toolstack.store.write(paths.frontend + "/0/0/unique-id", "0")
        frontend = try SimulatedSndFrontend(simulator: simulator, domain: DomainID(2), frontendPath: paths.frontend)
        try loop.runUntilIdle()
        try frontend.connect(pcms: [[0]])
        try loop.runUntilIdle()
        guard frontend.streams.count == 1 else { fail("the simulated frontend did not connect") }
        stream = frontend.streams[0]
        buffer = stream.allocateBuffer(byteCount: bufferBytes)
        var pattern = [UInt8](repeating: 0, count: bufferBytes)
        for index in 0..<bufferBytes { pattern[index] = patternByte(index) }
        pattern.withUnsafeBytes { buffer.write($0, at: 0) }
        try call(SndIfWire.opOpen, .open(format: .s16LE, rate: 48000, channels: 2, bufferBytes: UInt32(bufferBytes),
                                         directory: buffer.directory.rawValue, periodBytes: UInt32(periodBytes)))
        try call(SndIfWire.opTrigger, .trigger(type: SndIfWire.triggerStart))
    }

    /// One request, run until answered; fails the benchmark on a bad status.
    func call(_ operation: UInt8, _ body: SndRequest.Body) throws(XenError) {
        try stream.send(SndRequest(id: 0, operation: operation, body: body))
        try loop.runUntilIdle()
        let responses = try stream.responses()
        guard responses.count == 1, responses[0].status == 0 else { fail("request \(operation) failed") }
    }

    /// `depth` WRITEs of `chunk` bytes queued before the backend runs (1: one
    /// request at a time, as snd_xen_front does); fails unless the last chunk
    /// reached the device intact.
    func write(chunk: Int, depth: Int, total: Int) throws(XenError) -> UInt64 {
        var offset = 0
        var sent = 0
        var positionEvents = 0
        var responses: [SndResponse] = []
        var positions: [UInt64] = []
        let start = cpuNanoseconds()
        while sent < total {
            for _ in 0..<depth {
                try stream.send(SndRequest(id: 0, operation: SndIfWire.opWrite,
                                           body: .range(offset: UInt32(offset), length: UInt32(chunk))))
                offset = (offset + chunk) % bufferBytes
                sent += chunk
            }
            try loop.runUntilIdle()
            responses.removeAll(keepingCapacity: true)
            try stream.responses(into: &responses)
            guard responses.count == depth, responses.allSatisfy({ $0.status == 0 }) else { fail("a WRITE failed") }
            positions.removeAll(keepingCapacity: true)
            stream.positionEvents(into: &positions)
            positionEvents += positions.count
        }
        guard positionEvents > 0 else { fail("no position event arrived") }
        let elapsed = cpuNanoseconds() - start
        let sink = provider.sink
        let last = (offset - chunk + bufferBytes) % bufferBytes
        guard lastChunkMatches(sink.storage, end: sink.offset, chunk: chunk, from: last) else {
            fail("the device did not receive the bytes of the shared buffer")
        }
        return elapsed
    }
}

/// CPU time of this thread, ns.
func cpuNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// The byte the benchmark puts at `index` of the shared buffer.
func patternByte(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: index &* 31) }

/// True if the `chunk` bytes before `end` in a ring `storage` are the pattern from `from`.
func lastChunkMatches(_ storage: UnsafeMutableRawBufferPointer, end: Int, chunk: Int, from: Int) -> Bool {
    let start = (end - chunk + storage.count) % storage.count
    for index in 0..<chunk where storage[(start + index) % storage.count] != patternByte(from + index) { return false }
    return true
}

/// The baseline's source (the shared buffer's bytes) and destination (a ring
/// like the device's), page-aligned like theirs.
// nonisolated(unsafe): both buffers are made once at start-up and used only by
// this program's one thread.
nonisolated(unsafe) let baselineSource: UnsafeMutableRawBufferPointer = {
    let bytes = pageAlignedBytes(bufferBytes)
    for index in 0..<bufferBytes { bytes[index] = patternByte(index) }
    return bytes
}()
nonisolated(unsafe) let baselineStorage = pageAlignedBytes(1 << 20)

/// The same bytes in the same chunks with memcpy only.
func memcpyBaseline(chunk: Int, total: Int) -> UInt64 {
    let source = UnsafeRawBufferPointer(baselineSource)
    let storage = baselineStorage
    var offset = 0
    var from = 0
    var copied = 0
    let start = cpuNanoseconds()
    while copied < total {
        SinkPCMDevice.copy(UnsafeRawBufferPointer(rebasing: source[from..<from + chunk]), into: storage, at: &offset)
        from = (from + chunk) % bufferBytes
        copied += chunk
    }
    let elapsed = cpuNanoseconds() - start
    let last = (from - chunk + bufferBytes) % bufferBytes
    guard lastChunkMatches(storage, end: offset, chunk: chunk, from: last) else { fail("memcpy lost bytes") }
    return elapsed
}

/// Median ns of what one simulated round trip costs in system calls alone:
/// write(2) on a pipe, poll(2) finding it readable, read(2), poll(2) finding nothing.
func syscallFloor() -> UInt64 {
    var fds: [Int32] = [-1, -1]
    guard fds.withUnsafeMutableBufferPointer({ clinux_pipe_nonblocking($0.baseAddress) }) == 0 else { fail("pipe failed") }
    var byte: UInt8 = 1
    var entry = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
    var samples: [UInt64] = []
    for _ in 0..<20_000 {
        let start = clinux_monotonic_ns()
        _ = write(fds[1], &byte, 1)
        _ = poll(&entry, 1, 0)
        _ = read(fds[0], &byte, 1)
        _ = poll(&entry, 1, 0)
        samples.append(clinux_monotonic_ns() - start)
    }
    close(fds[0])
    close(fds[1])
    samples.sort()
    return samples[samples.count / 2]
}

func framesPerSecond(_ bytes: Int, _ nanoseconds: UInt64) -> UInt64 {
    nanoseconds == 0 ? 0 : UInt64(bytes / frameBytes) * 1_000_000_000 / nanoseconds
}

do {
    let bench = try Bench()
    let total = mebibytes << 20
    #if hasFeature(Embedded)
    let build = "Embedded Swift"
    #else
    let build = "host Swift"
    #endif
    print("sndif-bench (\(build)): \(mebibytes) MiB per measurement, S16_LE stereo (4-byte frames), 256 KiB shared buffer, 16 KiB period")
    func micros(_ ns: UInt64) -> String { "\(ns / 1000).\((ns % 1000) / 100)" }
    func percent(_ permille: UInt64) -> String { "\(permille / 10).\(permille % 10)%" }
    let floor = syscallFloor()
    print("system calls of one round trip alone (pipe write, poll, read, poll): median \(micros(floor)) µs")
    for (chunk, depth) in [(4096, 1), (16384, 1), (65536, 1), (16384, 16), (65536, 4)] {
        // The fastest of five runs on both sides.
        var simulated = UInt64.max
        var baseline = UInt64.max
        for _ in 0..<5 {
            simulated = min(simulated, try bench.write(chunk: chunk, depth: depth, total: total))
            baseline = min(baseline, memcpyBaseline(chunk: chunk, total: total))
        }
        let ratio = baseline == 0 ? 0 : baseline * 1000 / max(simulated, 1)
        // The ratio if a round trip cost nothing but its system calls.
        let ceiling = baseline * 1000 / max(baseline + UInt64(total / (chunk * depth)) * floor, 1)
        print("throughput \(chunk / 1024) KiB WRITEs, \(depth) in flight: simulated \(framesPerSecond(total, simulated)) frames/s, memcpy \(framesPerSecond(total, baseline)) frames/s, ratio \(percent(ratio)) (system-call ceiling \(percent(ceiling)))")
    }
    // Round trip of one small request (a one-frame WRITE), one at a time.
    var samples: [UInt64] = []
    for _ in 0..<20_000 {
        let start = clinux_monotonic_ns()
        try bench.call(SndIfWire.opWrite, .range(offset: 0, length: UInt32(frameBytes)))
        samples.append(clinux_monotonic_ns() - start)
    }
    samples.sort()
    print("round trip (1-frame WRITE): median \(micros(samples[samples.count / 2])) µs, p99 \(micros(samples[samples.count * 99 / 100])) µs, min \(micros(samples[0])) µs")
    guard bench.provider.sink.bytesCopied > 0 else { fail("nothing reached the device") }
} catch {
    fail(error.description)
}
