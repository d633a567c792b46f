// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// What the toolstack configured for one stream (xen/io/sndif.h "Stream
/// settings" and the card/PCM-level parameters it inherits: `sample-rates`,
/// `sample-formats`, `channels-min`, `channels-max`, `buffer-size`), read from
/// the frontend's xenstore directory.
public struct SndStreamConfig: Equatable, Sendable {
    /// Index of the PCM device (`<fe>/<pcm>`) and of the stream under it.
    public var pcmIndex: UInt32
    public var streamIndex: UInt32
    public var direction: PCMDirection
    /// The stream's `unique-id`, the key of the device binding.
    public var uniqueID: String
    /// Allowed rates (empty: any the device supports).
    public var rates: [UInt32]
    /// Allowed formats mask (all bits: any).
    public var formats: UInt64
    public var channels: PCMInterval
    /// Largest shared buffer in bytes.
    public var bufferLimit: Int

    public init(pcmIndex: UInt32, streamIndex: UInt32, direction: PCMDirection, uniqueID: String,
                rates: [UInt32] = [], formats: UInt64 = UInt64.max, channels: PCMInterval = PCMInterval(min: 1, max: 255),
                bufferLimit: Int = SndIfWire.defaultBufferLimit) {
        self.pcmIndex = pcmIndex
        self.streamIndex = streamIndex
        self.direction = direction
        self.uniqueID = uniqueID
        self.rates = rates
        self.formats = formats
        self.channels = channels
        self.bufferLimit = bufferLimit
    }

    /// The configuration space the xenstore settings allow.
    public var ranges: PCMRanges {
        var rateInterval = PCMInterval.any
        if let low = rates.min(), let high = rates.max() { rateInterval = PCMInterval(min: low, max: high) }
        return PCMRanges(formats: formats, rates: rateInterval, channels: channels, bufferFrames: .any, periodFrames: .any)
    }

    /// True if `rate` is in the `sample-rates` list (or no list was given).
    public func allows(rate: UInt32) -> Bool { rates.isEmpty || rates.contains(rate) }

    /// Applies the parameter nodes found in one level of the hierarchy
    /// (card, PCM device, stream): a lower level overrides a higher one.
    mutating func apply<Store: XenStore>(level path: String, store: Store) throws(SndIfError) {
        func read(_ key: String) -> String? { (try? store.read(XenPath.join(path, key))) ?? nil }
        func number(_ key: String) throws(SndIfError) -> UInt32? {
            guard let text = read(key) else { return nil }
            guard let value = XenPath.parseUInt32(text) else {
                throw .topologyInvalid(path: XenPath.join(path, key), reason: "'\(XenLog.escaped(text))' is not a number")
            }
            return value
        }
        if let text = read(SndIfWire.fieldSampleRates) {
            var list: [UInt32] = []
            for item in ByteString(text).split(UInt8(ascii: ",")) {
                guard let rate = XenPath.parseUInt32(item.string), rate > 0 else {
                    throw .topologyInvalid(path: XenPath.join(path, SndIfWire.fieldSampleRates), reason: "'\(XenLog.escaped(text))' is not a rate list")
                }
                list.append(rate)
            }
            rates = list
        }
        if let text = read(SndIfWire.fieldSampleFormats) {
            var mask: UInt64 = 0
            for item in ByteString(text).split(UInt8(ascii: ",")) {
                guard let format = PCMFormat(name: item.string) else {
                    throw .topologyInvalid(path: XenPath.join(path, SndIfWire.fieldSampleFormats), reason: "unknown format '\(XenLog.escaped(item.string))'")
                }
                mask |= format.maskBit
            }
            formats = mask
        }
        if let low = try number(SndIfWire.fieldChannelsMin) { channels.min = max(1, low) }
        if let high = try number(SndIfWire.fieldChannelsMax) { channels.max = min(255, high) }
        if let size = try number(SndIfWire.fieldBufferSize) { bufferLimit = min(Int(size), SndIfWire.defaultBufferLimit) }
    }
}
