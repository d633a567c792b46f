// SPDX-License-Identifier: GPL-2.0-only OR MIT

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
