// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The parameters a stream is opened with (`XENSND_OP_OPEN`), in frames.
public struct PCMParams: Equatable, Sendable {
    public var format: PCMFormat
    public var rate: UInt32
    public var channels: UInt32
    public var bufferFrames: UInt32
    public var periodFrames: UInt32
    public init(format: PCMFormat, rate: UInt32, channels: UInt32, bufferFrames: UInt32, periodFrames: UInt32) {
        self.format = format
        self.rate = rate
        self.channels = channels
        self.bufferFrames = bufferFrames
        self.periodFrames = periodFrames
    }
    /// Bytes of one frame (all channels of one sample instant).
    public var frameBytes: Int { (format.bytesPerSample ?? 1) * Int(channels) }
}
