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
