// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// The displif end-to-end probe (DisplayProbe.TestFrames, ScanoutChecker):
//
//   e2e-display-probe show CARD CONNECTOR WIDTH HEIGHT FRAMES HOLD_MS BURST CHECK
//       in the test guest, on xen-drm-front's card: sets CONNECTOR's WIDTHxHEIGHT
//       mode (showing no test frame), then draws frames 0..<FRAMES into dumb buffers and
//       page-flips to each, waiting for its flip-complete event, holding each frame
//       at least HOLD_MS ms and three times as long as its flip took (DomD's watcher,
//       which reads back and hashes each frame, is as slow as the backend's copy
//       when DomD is starved); then BURST more flips as fast as
//       the events come, for the frame rate. Prints
//       driverdom-test: verdict CHECK PASS|FAIL <detail>
//   e2e-display-probe watch CARD CONNECTOR WIDTH HEIGHT FRAMES SECONDS CHECK
//       in DomD, next to displif-backend: hashes every buffer CONNECTOR scans out
//       (read back through GETFB, as root) and checks frames 0..<FRAMES appear
//       intact and in order; prints the same verdict line when they did, when the
//       sequence broke, or after SECONDS.
//
// Exit status: 0 PASS, 1 FAIL, 2 usage.
import CDRM
import CLinux
import ProbeSupport
import DRMDisplay
import DisplIf
import DisplayProbe

clinux_stdout_line_buffered()

func usage() -> Never {
    print("usage: e2e-display-probe show CARD CONNECTOR WIDTH HEIGHT FRAMES HOLD_MS BURST CHECK"
        + " | watch CARD CONNECTOR WIDTH HEIGHT FRAMES SECONDS CHECK")
    exit(2)
}

func verdict(_ check: String, _ passed: Bool, _ detail: String) -> Never {
    print("driverdom-test: verdict \(check) \(passed ? "PASS" : "FAIL") \(detail)")
    exit(passed ? 0 : 1)
}

func number(_ text: String, _ range: ClosedRange<Int>) -> Int {
    guard let value = Int(text), range.contains(value) else { usage() }
    return value
}

func milliseconds(since start: UInt64) -> Int { Int((clinux_monotonic_ns() - start) / 1_000_000) }

func sleep(milliseconds: Int) {
    var left = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var rest = timespec()
    while nanosleep(&left, &rest) != 0 && clinux_errno() == EINTR { left = rest }
}

/// Waits up to `timeout` ms for the flip with `ticket` to complete; its wait in ms, or nil.
func awaitFlip(_ sink: DRMDisplaySink, _ ticket: FlipTicket, timeout: Int) -> Int? {
    let start = clinux_monotonic_ns()
    while milliseconds(since: start) < timeout {
        var descriptor = pollfd(fd: sink.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(1, timeout - milliseconds(since: start))))
        if ready < 0 && clinux_errno() != EINTR { return nil }
        if ready > 0 && sink.completedFlips().contains(ticket) { return milliseconds(since: start) }
    }
    return nil
}

func show(_ arguments: [String]) -> Never {
    guard arguments.count == 8 else { usage() }
    let card = arguments[0], connector = arguments[1], check = arguments[7]
    let frames = TestFrames(width: number(arguments[2], 1...8192), height: number(arguments[3], 1...8192))
    let count = number(arguments[4], 1...1000), hold = number(arguments[5], 0...10000), burst = number(arguments[6], 0...10000)
    let pitch = frames.width * 4
    let pixels = UnsafeMutableRawPointer.allocate(byteCount: pitch * frames.height, alignment: 16)
    defer { pixels.deallocate() }
    func frame(_ number: Int) -> DisplayFrame {
        frames.draw(frame: number, into: pixels, pitch: pitch)
        return DisplayFrame(base: UnsafeRawPointer(pixels), pitch: pitch, width: frames.width, height: frames.height,
                            format: .xrgb8888)
    }
    let sink: DRMDisplaySink
    do {
        sink = try DRMDisplaySink(cardPath: card, outputs: [connector], vsync: true, background: 0)
    } catch {
        verdict(check, false, "cannot open \(card) connector \(connector): \(error.description)")
    }
    // The mode is set showing a picture that is no test frame (the sink copies it into the buffer
    // already scanned out, which the watcher may read half done); every test frame comes by a flip.
    do {
        try sink.enable(output: connector, width: UInt32(frames.width), height: UInt32(frames.height), frame: frame(-1))
    } catch {
        verdict(check, false, "cannot set \(connector)'s \(frames.width)x\(frames.height) mode on \(card): \(error.description)")
    }
    print("e2e-display: \(connector) of \(card) set to \(frames.width)x\(frames.height)")
    sleep(milliseconds: hold)
    var slowest = 0
    var lastWait = 0
    var ticket: UInt64 = 0
    /// Flips to frame `number` and waits for its event; nil when the flip or its event failed.
    func flip(_ number: Int) -> String? {
        ticket += 1
        do {
            if try sink.flip(output: connector, frame: frame(number), ticket: FlipTicket(rawValue: ticket)) { return nil }
        } catch {
            return "page flip to frame \(number) failed: \(error.description)"
        }
        guard let waited = awaitFlip(sink, FlipTicket(rawValue: ticket), timeout: 10_000) else {
            return "no flip-complete event for frame \(number) within 10 s"
        }
        slowest = max(slowest, waited)
        lastWait = waited
        return nil
    }
    for number in 0..<count {
        if let problem = flip(number) { verdict(check, false, problem) }
        sleep(milliseconds: max(hold, 3 * lastWait))
    }
    // The burst: frames the watcher does not know, after the last checked one held a while longer.
    sleep(milliseconds: 3 * max(hold, 3 * lastWait))
    let start = clinux_monotonic_ns()
    for index in 0..<burst {
        if let problem = flip(count + index % 2) { verdict(check, false, "during the frame-rate burst: " + problem) }
    }
    let elapsed = max(1, milliseconds(since: start))
    let rate = burst == 0 ? "" : "; \(burst) more flips at \(burst * 1000 / elapsed).\((burst * 10_000 / elapsed) % 10) frames/s"
    sink.close()
    verdict(check, true, "\(count) frames shown, every flip completed by its event (slowest \(slowest) ms)\(rate)")
}

func watch(_ arguments: [String]) -> Never {
    guard arguments.count == 7 else { usage() }
    let card = arguments[0], connector = arguments[1], check = arguments[6]
    let frames = TestFrames(width: number(arguments[2], 1...8192), height: number(arguments[3], 1...8192))
    let count = number(arguments[4], 1...1000), seconds = number(arguments[5], 1...100_000)
    var checker = ScanoutChecker(expected: (0..<count).map { frames.expectedHash(frame: $0) })
    let fd = cdrm_open(card)
    guard fd >= 0 else { verdict(check, false, "cannot open \(card) (errno \(-fd))") }
    let dropped = cdrm_drop_master_if_held(fd)
    guard dropped >= 0 else { verdict(check, false, "cannot give up DRM master of \(card) (errno \(-dropped))") }
    print("e2e-display: watching \(card) \(connector) for \(count) frames of \(frames.width)x\(frames.height)")
    let start = clinux_monotonic_ns()
    var shown: UInt32 = 0
    var raced = 0
    var lastReport = -1
    while !checker.isFinished && milliseconds(since: start) < seconds * 1000 {
        var fb: UInt32 = 0
        guard connector.withCString({ cdrm_scanout_fb(fd, $0, &fb) }) == 0, fb != shown else {
            sleep(milliseconds: 3)
            continue
        }
        var mapping = cdrm_dumb()
        let mapped = cdrm_fb_map(fd, fb, &mapping)
        guard mapped == 0, let map = mapping.map else {
            verdict(check, false, "cannot read back framebuffer \(fb) scanned out on \(connector) (errno \(-mapped))")
        }
        var hash: UInt64?
        if Int(mapping.width) >= frames.width && Int(mapping.height) >= frames.height {
            hash = frames.hash(UnsafeRawPointer(map), pitch: Int(mapping.pitch))
        }
        cdrm_fb_unmap(fd, &mapping)
        var after: UInt32 = 0
        guard connector.withCString({ cdrm_scanout_fb(fd, $0, &after) }) == 0, after == fb else {
            raced += 1  // flipped while hashing: the sample proves nothing; the next one is read
            continue
        }
        shown = fb
        // A buffer smaller than the test's frames is no frame of it (a console mode, say).
        checker.observe(hash ?? 0)
        if case .showing(let last) = checker.state, last != lastReport {
            print("e2e-display: frame \(last) seen")
            lastReport = last
        }
    }
    cdrm_close(fd)
    let result = checker.verdict
    verdict(check, result.passed, result.detail + " (\(checker.observed) pictures sampled, \(raced) samples raced a flip)")
}

let arguments = processArguments()
guard arguments.count >= 2 else { usage() }
switch arguments[1] {
case "show": show(Array(arguments.dropFirst(2)))
case "watch": watch(Array(arguments.dropFirst(2)))
default: usage()
}
