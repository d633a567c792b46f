// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Runs inside the test guest: finds xen-kbdfront's keyboard and pointer evdev
// devices of vkb N (default 0), reads them, and prints the kbdif verdict line
// that `driverdom test` reads from the console:
//     driverdom-test: verdict kbdif PASS|FAIL <detail>
// With `--button N CODE`: waits for key CODE pressed and released on vkb N's
// keyboard (a passed-through button pressed by the host), after printing
//     driverdom-test: waiting for the button
// and prints `driverdom-test: verdict passthrough-press PASS|FAIL <detail>`
// (SystemTest's PassthroughTestPlan.pressCheck; PassthroughCheckTests keeps the two equal).
// Exit status 0 on PASS, 1 on FAIL.
import CLinux
import ProbeSupport
import InputProbe

clinux_stdout_line_buffered()

let limitNs: UInt64 = 90 * 1_000_000_000
let start = clinux_monotonic_ns()
func elapsedNs() -> UInt64 { clinux_monotonic_ns() - start }

let arguments = processArguments()
// Top-level state of a single-threaded probe: nothing else runs that could race on it.
nonisolated(unsafe) var vkbIndex = 0
nonisolated(unsafe) var buttonCode: UInt16?
if arguments.count == 4, arguments[1] == "--button", let index = Int(arguments[2]), let code = UInt16(arguments[3]) {
    vkbIndex = index
    buttonCode = code
} else if arguments.count == 3, arguments[1] == "--vkb", let index = Int(arguments[2]) {
    vkbIndex = index
} else if arguments.count != 1 {
    print("usage: e2e-input-check [--vkb N | --button N KEYCODE]")
    exit(2)
}
let checkName = buttonCode == nil ? "kbdif" : "passthrough-press"
/// xen-kbdfront's EVIOCGPHYS for vkb N.
let wantedPhys = "xenbus/device/vkbd/\(vkbIndex)"

func verdict(_ passed: Bool, _ detail: String) -> Never {
    print("driverdom-test: verdict \(checkName) \(passed ? "PASS" : "FAIL") \(detail)")
    exit(passed ? 0 : 1)
}

func text(_ fd: Int32, _ read: (Int32, UnsafeMutablePointer<CChar>?, Int32) -> Int32) -> String? {
    var buffer = [CChar](repeating: 0, count: 128)
    let length = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, 128) }
    guard length > 0 else { return nil }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

/// Opens /dev/input/eventN whose device name is `name` and whose physical path is vkb N's, or returns -1.
func openDevice(named name: String) -> Int32 {
    var index = 0
    while index < 32 {
        let path = "/dev/input/event\(index)"
        let fd = clinux_open(path, O_RDONLY | O_NONBLOCK, 0)
        if fd >= 0 {
            if text(fd, { clinux_evdev_name($0, $1, $2) }) == name,
               text(fd, { clinux_evdev_phys($0, $1, $2) }) == wantedPhys { return fd }
            close(fd)
        }
        index += 1
    }
    return -1
}

if let code = buttonCode { checkButton(code) }

/// The passthrough check: KEY `code` down then up on vkb N's keyboard.
func checkButton(_ code: UInt16) -> Never {
    var keyboard: Int32 = -1
    while keyboard < 0 {
        keyboard = openDevice(named: "Xen Virtual Keyboard")
        if keyboard >= 0 { break }
        if elapsedNs() > limitNs { verdict(false, "no xen-kbdfront keyboard at \(wantedPhys) within 90 s") }
        usleep(100_000)
    }
    print("driverdom-test: waiting for the button")
    var pressed = false
    var fds = [pollfd(fd: keyboard, events: Int16(POLLIN), revents: 0)]
    let deadline = elapsedNs() + 30 * 1_000_000_000
    while elapsedNs() < deadline {
        _ = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, 1, 500) }
        var type: UInt16 = 0
        var key: UInt16 = 0
        var value: Int32 = 0
        while clinux_input_read(keyboard, &type, &key, &value) == 0 {
            guard type == KbdifProbe.evKey else { continue }
            if key != code { verdict(false, "key \(key) value \(value) on \(wantedPhys), expected only key \(code)") }
            if value == 1 { pressed = true }
            if value == 0 && pressed { verdict(true, "key \(code) down and up on \(wantedPhys) through xen-kbdfront") }
        }
    }
    verdict(false, pressed ? "key \(code) went down but never up on \(wantedPhys) within 30 s"
                           : "no key \(code) on \(wantedPhys) within 30 s of asking for the button press")
}

nonisolated(unsafe) var keyboard: Int32 = -1
nonisolated(unsafe) var pointer: Int32 = -1
while keyboard < 0 || pointer < 0 {
    if keyboard < 0 { keyboard = openDevice(named: "Xen Virtual Keyboard") }
    if pointer < 0 { pointer = openDevice(named: "Xen Virtual Pointer") }
    if elapsedNs() > limitNs {
        verdict(false, "xen-kbdfront devices did not appear (keyboard \(keyboard >= 0), pointer \(pointer >= 0))")
    }
    if keyboard < 0 || pointer < 0 { usleep(100_000) }
}
print("driverdom-test: kbdif devices open")

/// What the kbdif devices reported so far, checked against the probe run.
struct Readings {
    var keys = SequenceChecker<KeyTransition>.kbdifKeys()
    var positions = SequenceChecker<PointerPosition>.kbdifPositions()
    var x: Int32 = -1
    var y: Int32 = -1
    var moved = false

    /// Reads every pending event of the device `fd`.
    mutating func drain(_ fd: Int32) {
        var type: UInt16 = 0
        var code: UInt16 = 0
        var value: Int32 = 0
        while clinux_input_read(fd, &type, &code, &value) == 0 {
            if type == KbdifProbe.evKey, code < 256, value != 2 {
                keys.consume(KeyTransition(code: code, value: value))
            } else if type == KbdifProbe.evAbs, code == KbdifProbe.absX {
                x = value
                moved = true
            } else if type == KbdifProbe.evAbs, code == KbdifProbe.absY {
                y = value
                moved = true
            } else if type == KbdifProbe.evSyn, moved {
                positions.consume(PointerPosition(x: x, y: y))
                moved = false
            }
        }
    }
}

nonisolated(unsafe) var readings = Readings()

nonisolated(unsafe) var fds = [pollfd(fd: keyboard, events: Int16(POLLIN), revents: 0),
           pollfd(fd: pointer, events: Int16(POLLIN), revents: 0)]
while true {
    if case .failed(_, let detail) = readings.keys.state { verdict(false, "keyboard: \(detail)") }
    if case .failed(_, let detail) = readings.positions.state { verdict(false, "pointer: \(detail)") }
    if readings.keys.state == .passed, readings.positions.state == .passed {
        verdict(true, "\(readings.keys.expected.count) key events and \(readings.positions.expected.count) pointer positions in order")
    }
    if elapsedNs() > limitNs {
        verdict(false, "timed out: keyboard \(readings.keys.state), pointer \(readings.positions.state)")
    }
    _ = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, 2, 500) }
    readings.drain(keyboard)
    readings.drain(pointer)
}
