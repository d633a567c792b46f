// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Runs inside the test guest: finds xen-kbdfront's keyboard and pointer evdev
// devices, reads them, and prints the kbdif verdict line that `driverdom test`
// reads from the console:
//     driverdom-test: verdict kbdif PASS|FAIL <detail>
// Exit status 0 on PASS, 1 on FAIL.
import CLinux
import InputProbe

clinux_stdout_line_buffered()

let limitNs: UInt64 = 90 * 1_000_000_000
let start = clinux_monotonic_ns()
func elapsedNs() -> UInt64 { clinux_monotonic_ns() - start }

func verdict(_ passed: Bool, _ detail: String) -> Never {
    print("driverdom-test: verdict kbdif \(passed ? "PASS" : "FAIL") \(detail)")
    exit(passed ? 0 : 1)
}

/// Opens /dev/input/eventN whose device name is `name`, or returns -1.
func openDevice(named name: String) -> Int32 {
    var index = 0
    while index < 32 {
        let path = "/dev/input/event\(index)"
        let fd = clinux_open(path, O_RDONLY | O_NONBLOCK, 0)
        if fd >= 0 {
            var buffer = [CChar](repeating: 0, count: 128)
            let length = buffer.withUnsafeMutableBufferPointer { clinux_evdev_name(fd, $0.baseAddress, 128) }
            if length > 0 {
                let found = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                if found == name { return fd }
            }
            close(fd)
        }
        index += 1
    }
    return -1
}

var keyboard: Int32 = -1
var pointer: Int32 = -1
while keyboard < 0 || pointer < 0 {
    if keyboard < 0 { keyboard = openDevice(named: "Xen Virtual Keyboard") }
    if pointer < 0 { pointer = openDevice(named: "Xen Virtual Pointer") }
    if elapsedNs() > limitNs {
        verdict(false, "xen-kbdfront devices did not appear (keyboard \(keyboard >= 0), pointer \(pointer >= 0))")
    }
    if keyboard < 0 || pointer < 0 { usleep(100_000) }
}
print("driverdom-test: kbdif devices open")

var keys = SequenceChecker<KeyTransition>.kbdifKeys()
var positions = SequenceChecker<PointerPosition>.kbdifPositions()
var x: Int32 = -1
var y: Int32 = -1
var moved = false

func drain(_ fd: Int32) {
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

var fds = [pollfd(fd: keyboard, events: Int16(POLLIN), revents: 0),
           pollfd(fd: pointer, events: Int16(POLLIN), revents: 0)]
while true {
    if case .failed(_, let detail) = keys.state { verdict(false, "keyboard: \(detail)") }
    if case .failed(_, let detail) = positions.state { verdict(false, "pointer: \(detail)") }
    if keys.state == .passed, positions.state == .passed {
        verdict(true, "\(keys.expected.count) key events and \(positions.expected.count) pointer positions in order")
    }
    if elapsedNs() > limitNs {
        verdict(false, "timed out: keyboard \(keys.state), pointer \(positions.state)")
    }
    _ = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, 2, 500) }
    drain(keyboard)
    drain(pointer)
}
