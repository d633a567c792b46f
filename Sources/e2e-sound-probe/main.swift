// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// The sndif end-to-end probe, run in the test guest and in the test DomD with
// alsa-utils' aplay/arecord moving raw S16_LE stereo between ALSA and a pipe:
//
//   e2e-sound-probe generate FRAMES|endless
//       writes the counter signal (SoundProbe.CounterSignal) to stdout;
//   e2e-sound-probe check-bursts FRAMES CHECK
//       reads a continuous capture on stdin and prints, per burst of FRAMES frames,
//       driverdom-test: verdict CHECK PASS|FAIL <detail>
//   e2e-sound-probe check-window MINIMUM CHECK
//       reads a finite recording on stdin and prints one such verdict at its end.
//
// Exit status: 0 (generate, check-bursts at end of input; check-window PASS),
// 1 check-window FAIL or an I/O error, 2 usage.
import CLinux
import ProbeSupport
import SoundProbe

clinux_stdout_line_buffered()

func usage() -> Never {
    print("usage: e2e-sound-probe generate FRAMES|endless | check-bursts FRAMES CHECK | check-window MINIMUM CHECK")
    exit(2)
}

func say(_ check: String, _ verdict: SignalVerdict) {
    print("driverdom-test: verdict \(check) \(verdict.passed ? "PASS" : "FAIL") \(verdict.detail)")
}

/// Writes all of `bytes` to stdout; false when the reader went away.
func writeAll(_ bytes: [UInt8]) -> Bool {
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeBufferPointer { write(1, $0.baseAddress! + written, $0.count - written) }
        if result < 0 {
            if clinux_errno() == EINTR { continue }
            return false
        }
        written += result
    }
    return true
}

/// Reads stdin to its end, handing each chunk to `consume`.
func readAll(_ consume: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 16384)
    while true {
        let count = buffer.withUnsafeMutableBufferPointer { read(0, $0.baseAddress, $0.count) }
        if count < 0 {
            if clinux_errno() == EINTR { continue }
            print("e2e-sound-probe: read failed (errno \(clinux_errno()))")
            return false
        }
        if count == 0 { return true }
        buffer.withUnsafeBufferPointer { consume(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }
}

func count(_ text: String) -> Int {
    guard let value = Int(text), value > 0, value < Int(CounterSignal.modulus) else { usage() }
    return value
}

let arguments = processArguments()
guard arguments.count >= 3 else { usage() }
switch arguments[1] {
case "generate":
    let endless = arguments[2] == "endless"
    var remaining = endless ? Int.max : count(arguments[2])
    var counter: UInt32 = 0
    var bytes: [UInt8] = []
    while remaining > 0 {
        let chunk = min(remaining, 1024)
        CounterSignal.encode(first: counter, count: chunk, into: &bytes)
        if !writeAll(bytes) { exit(endless ? 0 : 1) }
        counter = (counter + UInt32(chunk)) % CounterSignal.modulus
        if !endless { remaining -= chunk }
    }
    exit(0)
case "check-bursts":
    guard arguments.count == 4 else { usage() }
    var checker = BurstChecker(frames: count(arguments[2]))
    var splitter = FrameSplitter()
    let check = arguments[3]
    print("e2e-sound-probe: watching for bursts of \(checker.frames) frames (\(check))")
    let ok = readAll { chunk in
        splitter.split(chunk) { left, right in
            if let verdict = checker.consume(left: left, right: right) { say(check, verdict) }
            if let note = checker.skipNote {
                print("e2e-sound-probe: " + note)
                checker.clearSkipNote()
            }
        }
    }
    print("e2e-sound-probe: capture ended after \(checker.offset) frames")
    exit(ok ? 0 : 1)
case "check-window":
    guard arguments.count == 4 else { usage() }
    var checker = WindowChecker(minimumFrames: count(arguments[2]))
    var splitter = FrameSplitter()
    let ok = readAll { chunk in
        splitter.split(chunk) { left, right in checker.consume(left: left, right: right) }
    }
    var verdict = checker.verdict()
    if !ok { verdict = SignalVerdict(passed: false, detail: "reading the recording failed; " + verdict.detail) }
    say(arguments[3], verdict)
    exit(verdict.passed ? 0 : 1)
default:
    usage()
}
