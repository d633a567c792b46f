// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The range of one absolute axis (`struct input_absinfo` minimum/maximum).
public struct AxisRange: Equatable, Sendable {
    public var minimum: Int32
    public var maximum: Int32
    public init(minimum: Int32, maximum: Int32) {
        self.minimum = minimum
        self.maximum = maximum
    }
}
