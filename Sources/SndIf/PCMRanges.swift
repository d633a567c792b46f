// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The configuration space of a stream (`struct xensnd_query_hw_param`):
/// a format mask and intervals of rate, channels, buffer and period frames.
public struct PCMRanges: Equatable, Sendable {
    public var formats: UInt64
    public var rates: PCMInterval
    public var channels: PCMInterval
    public var bufferFrames: PCMInterval
    public var periodFrames: PCMInterval
    public init(formats: UInt64, rates: PCMInterval, channels: PCMInterval, bufferFrames: PCMInterval, periodFrames: PCMInterval) {
        self.formats = formats
        self.rates = rates
        self.channels = channels
        self.bufferFrames = bufferFrames
        self.periodFrames = periodFrames
    }
    /// No restriction.
    public static let unrestricted = PCMRanges(formats: UInt64.max, rates: .any, channels: .any, bufferFrames: .any, periodFrames: .any)

    /// The overlap of two configuration spaces.
    public func intersection(_ other: PCMRanges) -> PCMRanges {
        PCMRanges(formats: formats & other.formats, rates: rates.intersection(other.rates),
                  channels: channels.intersection(other.channels),
                  bufferFrames: bufferFrames.intersection(other.bufferFrames),
                  periodFrames: periodFrames.intersection(other.periodFrames))
    }

    /// True if no configuration is left.
    public var isEmpty: Bool {
        formats == 0 || rates.isEmpty || channels.isEmpty || bufferFrames.isEmpty || periodFrames.isEmpty
    }
}
