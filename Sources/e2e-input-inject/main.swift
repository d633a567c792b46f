// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Runs inside the test DomD: creates a uinput device named `driverdom-uinput`
// (the stand-in for passed-through input hardware that the kbdif backend reads)
// and injects `KbdifProbe`'s run once a second until it is stopped.
import CLinux
import InputProbe

clinux_stdout_line_buffered()

func fail(_ message: String) -> Never {
    print("e2e-input-inject: \(message) (errno \(clinux_errno()))")
    exit(1)
}

let fd = clinux_open("/dev/uinput", O_WRONLY | O_NONBLOCK, 0)
if fd < 0 { fail("cannot open /dev/uinput; is the uinput module loaded?") }
let keys = KbdifProbe.allKeys
let created = keys.withUnsafeBufferPointer { buffer in
    clinux_uinput_create(fd, "driverdom-uinput", buffer.baseAddress, Int32(buffer.count), 1023, 767)
}
if created < 0 { fail("cannot create the uinput device") }
print("e2e-input-inject: created driverdom-uinput")

func emit(_ type: UInt16, _ code: UInt16, _ value: Int32) {
    if clinux_input_emit(fd, type, code, value) < 0 { fail("write to uinput failed") }
}

// Events are paced like a fast typist, not written in one burst: evdev keeps
// only 64 events per reader (in DomD and in the guest) and reports an overrun
// as SYN_DROPPED, which would hide whether the backend itself loses events.
let pauseMicroseconds: UInt32 = 15_000

// Top-level state of a single-threaded probe: nothing else runs that could race on it.
nonisolated(unsafe) var run = 0
while true {
    usleep(1_000_000)
    run += 1
    for key in KbdifProbe.keyRun() {
        emit(KbdifProbe.evKey, key.code, key.value)
        emit(KbdifProbe.evSyn, 0, 0)
        usleep(pauseMicroseconds)
    }
    for position in KbdifProbe.positions {
        emit(KbdifProbe.evAbs, KbdifProbe.absX, position.x)
        emit(KbdifProbe.evAbs, KbdifProbe.absY, position.y)
        emit(KbdifProbe.evSyn, 0, 0)
        usleep(pauseMicroseconds)
    }
    if run == 1 || run % 10 == 0 { print("e2e-input-inject: injected run \(run)") }
}
