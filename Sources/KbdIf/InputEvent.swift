// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One Linux input event (`struct input_event` without its timestamp):
/// `type` is EV_*, `code` KEY_*/REL_*/ABS_*/SYN_*, `value` as evdev defines it.
public struct InputEvent: Equatable, Sendable {
    public var type: UInt16
    public var code: UInt16
    public var value: Int32
    public init(type: UInt16, code: UInt16, value: Int32) {
        self.type = type
        self.code = code
        self.value = value
    }
}

/// The range of one absolute axis (`struct input_absinfo` minimum/maximum).
public struct AxisRange: Equatable, Sendable {
    public var minimum: Int32
    public var maximum: Int32
    public init(minimum: Int32, maximum: Int32) {
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// What an input device reports, as far as translation needs to know.
public struct InputCapabilities: Equatable, Sendable {
    /// ABS_X / ABS_Y ranges, if the device is an absolute pointer.
    public var absoluteX: AxisRange?
    public var absoluteY: AxisRange?
    /// ABS_MT_POSITION_X / _Y ranges and slot count, if it is multi-touch.
    public var touchX: AxisRange?
    public var touchY: AxisRange?
    public var touchSlots: Int
    public init(absoluteX: AxisRange? = nil, absoluteY: AxisRange? = nil,
                touchX: AxisRange? = nil, touchY: AxisRange? = nil, touchSlots: Int = 0) {
        self.absoluteX = absoluteX
        self.absoluteY = absoluteY
        self.touchX = touchX
        self.touchY = touchY
        self.touchSlots = touchSlots
    }
}

/// Errors of the input side of kbdif.
public enum InputSourceError: Error, Equatable, CustomStringConvertible {
    case openFailed(path: String, errno: Int32)
    case grabFailed(path: String, errno: Int32)
    case readFailed(path: String, errno: Int32)
    /// The device went away (unplugged, or the read returned end of file).
    case deviceGone(path: String)

    public var description: String {
        switch self {
        case .openFailed(let p, let e): return "Unable to open input device \(p) (errno \(e)): check the path and that evdev is loaded."
        case .grabFailed(let p, let e): return "Unable to grab input device \(p) (errno \(e)): another process holds it exclusively."
        case .readFailed(let p, let e): return "Unable to read input device \(p) (errno \(e))."
        case .deviceGone(let p): return "Input device \(p) went away."
        }
    }
}

/// Where kbdif's input comes from: evdev in DomD, a script in tests.
public protocol InputEventSource: AnyObject {
    /// Readable when events are waiting; -1 if the source has no fd.
    var fd: Int32 { get }
    /// What the device reports.
    var capabilities: InputCapabilities { get }
    /// Appends the events available now, without blocking.
    func readEvents(into events: inout [InputEvent]) throws(InputSourceError)
}
