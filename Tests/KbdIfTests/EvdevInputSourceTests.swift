// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import EvdevInput
import KbdIf
import Testing

/// The real evdev reader against a FIFO carrying `struct input_event`s (no
/// input device needed), and its errors.
@Suite struct EvdevInputSourceTests {
    @Test func missingDeviceFailsToOpen() {
        #expect(throws: InputSourceError.openFailed(path: "/nonexistent/event9", errno: ENOENT)) {
            _ = try EvdevInputSource(path: "/nonexistent/event9", grab: false)
        }
    }

    @Test func readsInputEventStructs() throws {
        let path = "/tmp/kbdif-evdev-test-\(getpid())"
        unlink(path)
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let source = try EvdevInputSource(path: path, grab: false)
        #expect(source.capabilities == InputCapabilities(), "a FIFO answers no EVIOCG* ioctl")
        let writer = clinux_open(path, O_WRONLY, 0)
        #expect(writer >= 0)
        defer { close(writer) }
        var events = [input_event](repeating: input_event(), count: 3)
        events[0].type = UInt16(EV_KEY); events[0].code = UInt16(KEY_A); events[0].value = 1
        events[1].type = UInt16(EV_REL); events[1].code = UInt16(REL_X); events[1].value = -7
        events[2].type = UInt16(EV_SYN); events[2].code = UInt16(SYN_REPORT); events[2].value = 0
        let written = events.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        #expect(written == 3 * clinux_input_event_size())
        var read: [InputEvent] = []
        try source.readEvents(into: &read)
        #expect(read == [InputEvent(type: UInt16(EV_KEY), code: UInt16(KEY_A), value: 1),
                         InputEvent(type: UInt16(EV_REL), code: UInt16(REL_X), value: -7),
                         InputEvent(type: UInt16(EV_SYN), code: UInt16(SYN_REPORT), value: 0)])
        try source.readEvents(into: &read)
        #expect(read.count == 3, "nothing more: a non-blocking read returns at once")
    }

    @Test func grabbingSomethingThatIsNotEvdevFails() throws {
        #expect(throws: InputSourceError.grabFailed(path: "/dev/null", errno: ENOTTY)) {
            _ = try EvdevInputSource(path: "/dev/null", grab: true)
        }
    }
}
