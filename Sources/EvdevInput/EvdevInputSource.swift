// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import KbdIf

/// Reads `struct input_event`s from a Linux evdev node (/dev/input/eventN),
/// non-blocking, optionally grabbing it exclusively (EVIOCGRAB) so DomD's own
/// consumers do not see the events the guest gets.
public final class EvdevInputSource: InputEventSource {
    public let path: String
    public let fd: Int32
    public let capabilities: InputCapabilities
    private var buffer: [input_event]

    /// Opens `path`; with `grab`, takes the device exclusively.
    public init(path: String, grab: Bool) throws(InputSourceError) {
        self.path = path
        let opened = path.withCString { clinux_open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0) }
        guard opened >= 0 else { throw .openFailed(path: path, errno: clinux_errno()) }
        if grab && clinux_evdev_grab(opened, 1) != 0 {
            let code = clinux_errno()
            close(opened)
            throw .grabFailed(path: path, errno: code)
        }
        fd = opened
        capabilities = Self.readCapabilities(opened)
        buffer = [input_event](repeating: input_event(), count: 64)
    }

    deinit { close(fd) }

    private static func readCapabilities(_ fd: Int32) -> InputCapabilities {
        var bits = [UInt8](repeating: 0, count: 16)
        let ok = bits.withUnsafeMutableBytes { clinux_evdev_bits(fd, UInt32(EV_ABS), $0.baseAddress, 16) } >= 0
        func has(_ axis: Int32) -> Bool { ok && bits[Int(axis) / 8] & (1 << UInt8(axis % 8)) != 0 }
        func range(_ axis: Int32) -> AxisRange? {
            guard has(axis) else { return nil }
            var info = input_absinfo()
            guard clinux_evdev_absinfo(fd, UInt32(axis), &info) == 0 else { return nil }
            return AxisRange(minimum: info.minimum, maximum: info.maximum)
        }
        let slots = range(ABS_MT_SLOT).map { Int($0.maximum) + 1 } ?? 0
        return InputCapabilities(absoluteX: range(ABS_X), absoluteY: range(ABS_Y),
                                 touchX: range(ABS_MT_POSITION_X), touchY: range(ABS_MT_POSITION_Y), touchSlots: slots)
    }

    public func readEvents(into events: inout [InputEvent]) throws(InputSourceError) {
        let size = clinux_input_event_size()
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = clinux_errno()
                if code == EAGAIN || code == EINTR { return }
                if code == ENODEV { throw .deviceGone(path: path) }
                throw .readFailed(path: path, errno: code)
            }
            if count == 0 { throw .deviceGone(path: path) }
            for index in 0..<(count / size) {
                let event = buffer[index]
                events.append(InputEvent(type: event.type, code: event.code, value: event.value))
            }
            if count < buffer.count * size { return }
        }
    }
}
