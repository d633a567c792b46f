// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One request of a stream's ring (`struct xensnd_req`), decoded from a
/// private copy of its 64 octets: nothing here points into shared memory.
public struct SndRequest: Equatable, Sendable {
    public enum Body: Equatable, Sendable {
        case open(format: PCMFormat, rate: UInt32, channels: UInt8, bufferBytes: UInt32, directory: UInt32, periodBytes: UInt32)
        case close
        /// READ, WRITE, SET/GET_VOLUME, MUTE/UNMUTE: a range of the shared buffer.
        case range(offset: UInt32, length: UInt32)
        case trigger(type: UInt8)
        case query(PCMRanges)
        /// An operation code xen/io/sndif.h does not define.
        case unknown
    }

    public var id: UInt16
    public var operation: UInt8
    public var body: Body

    public init(id: UInt16, operation: UInt8, body: Body) {
        self.id = id
        self.operation = operation
        self.body = body
    }

    /// Decodes a packet copied out of the ring (at least 64 bytes).
    public init(decoding bytes: UnsafeRawBufferPointer) {
        id = PacketBytes.u16(bytes, SndIfWire.idOffset)
        operation = PacketBytes.u8(bytes, SndIfWire.operationOffset)
        switch operation {
        case SndIfWire.opOpen:
            body = .open(format: PCMFormat(PacketBytes.u8(bytes, SndIfWire.openFormatOffset)),
                         rate: PacketBytes.u32(bytes, SndIfWire.openRateOffset),
                         channels: PacketBytes.u8(bytes, SndIfWire.openChannelsOffset),
                         bufferBytes: PacketBytes.u32(bytes, SndIfWire.openBufferSizeOffset),
                         directory: PacketBytes.u32(bytes, SndIfWire.openDirectoryOffset),
                         periodBytes: PacketBytes.u32(bytes, SndIfWire.openPeriodSizeOffset))
        case SndIfWire.opClose:
            body = .close
        case SndIfWire.opRead, SndIfWire.opWrite, SndIfWire.opSetVolume, SndIfWire.opGetVolume,
             SndIfWire.opMute, SndIfWire.opUnmute:
            body = .range(offset: PacketBytes.u32(bytes, SndIfWire.rwOffsetOffset),
                          length: PacketBytes.u32(bytes, SndIfWire.rwLengthOffset))
        case SndIfWire.opTrigger:
            body = .trigger(type: PacketBytes.u8(bytes, SndIfWire.triggerTypeOffset))
        case SndIfWire.opHwParamQuery:
            body = .query(SndRequest.decodeRanges(bytes))
        default:
            body = .unknown
        }
    }

    /// Encodes the request into 64 bytes (used by simulated frontends).
    public func encode(into bytes: UnsafeMutableRawBufferPointer) {
        PacketBytes.zero(bytes, count: SndIfWire.packetSize)
        PacketBytes.put16(bytes, SndIfWire.idOffset, id)
        bytes[SndIfWire.operationOffset] = operation
        switch body {
        case .open(let format, let rate, let channels, let bufferBytes, let directory, let periodBytes):
            PacketBytes.put32(bytes, SndIfWire.openRateOffset, rate)
            bytes[SndIfWire.openFormatOffset] = format.rawValue
            bytes[SndIfWire.openChannelsOffset] = channels
            PacketBytes.put32(bytes, SndIfWire.openBufferSizeOffset, bufferBytes)
            PacketBytes.put32(bytes, SndIfWire.openDirectoryOffset, directory)
            PacketBytes.put32(bytes, SndIfWire.openPeriodSizeOffset, periodBytes)
        case .close, .unknown:
            break
        case .range(let offset, let length):
            PacketBytes.put32(bytes, SndIfWire.rwOffsetOffset, offset)
            PacketBytes.put32(bytes, SndIfWire.rwLengthOffset, length)
        case .trigger(let type):
            bytes[SndIfWire.triggerTypeOffset] = type
        case .query(let ranges):
            SndRequest.encodeRanges(ranges, into: bytes)
        }
    }

    static func decodeRanges(_ bytes: UnsafeRawBufferPointer) -> PCMRanges {
        func interval(_ offset: Int) -> PCMInterval {
            PCMInterval(min: PacketBytes.u32(bytes, offset), max: PacketBytes.u32(bytes, offset + 4))
        }
        return PCMRanges(formats: PacketBytes.u64(bytes, SndIfWire.hwFormatsOffset), rates: interval(SndIfWire.hwRatesOffset),
                         channels: interval(SndIfWire.hwChannelsOffset), bufferFrames: interval(SndIfWire.hwBufferOffset),
                         periodFrames: interval(SndIfWire.hwPeriodOffset))
    }

    static func encodeRanges(_ ranges: PCMRanges, into bytes: UnsafeMutableRawBufferPointer) {
        func put(_ offset: Int, _ interval: PCMInterval) {
            PacketBytes.put32(bytes, offset, interval.min)
            PacketBytes.put32(bytes, offset + 4, interval.max)
        }
        PacketBytes.put64(bytes, SndIfWire.hwFormatsOffset, ranges.formats)
        put(SndIfWire.hwRatesOffset, ranges.rates)
        put(SndIfWire.hwChannelsOffset, ranges.channels)
        put(SndIfWire.hwBufferOffset, ranges.bufferFrames)
        put(SndIfWire.hwPeriodOffset, ranges.periodFrames)
    }
}
