// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A closed interval of an unsigned parameter, as in `xensnd_query_hw_param`.
public struct PCMInterval: Equatable, Sendable {
    public var min: UInt32
    public var max: UInt32
    public init(min: UInt32, max: UInt32) {
        self.min = min
        self.max = max
    }
    /// Everything a 32-bit field can say.
    public static let any = PCMInterval(min: 0, max: UInt32.max)
    public var isEmpty: Bool { min > max }
    public func contains(_ value: UInt32) -> Bool { value >= min && value <= max }
    /// The overlap of two intervals (empty if none).
    public func intersection(_ other: PCMInterval) -> PCMInterval {
        PCMInterval(min: Swift.max(min, other.min), max: Swift.min(max, other.max))
    }
}
