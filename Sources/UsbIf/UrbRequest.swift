// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One `struct usbif_urb_request`, decoded from a private copy of its 148
/// octets: nothing here points into shared memory, and nothing is validated
/// yet (`segmentCount` may exceed the 16 entries of `segments`).
public struct UrbRequest: Equatable, Sendable {
    public var id: UInt16
    /// `nr_buffer_segs` as the frontend wrote it.
    public var segmentCount: UInt16
    public var pipe: UsbPipe
    public var transferFlags: UInt16
    public var bufferLength: UInt16
    /// The 8 type-specific octets (`u`): the setup packet of a control request.
    public var specific: [UInt8]
    /// All 16 `seg[]` entries (buffer segments first, then iso descriptor segments).
    public var segments: [UsbSegment]

    public init(id: UInt16, pipe: UsbPipe, transferFlags: UInt16 = 0, bufferLength: UInt16 = 0,
                specific: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0], segments: [UsbSegment] = []) {
        self.id = id
        self.segmentCount = UInt16(truncatingIfNeeded: segments.count)
        self.pipe = pipe
        self.transferFlags = transferFlags
        self.bufferLength = bufferLength
        self.specific = specific
        self.segments = segments
    }

    /// Decodes a request copied out of the ring (at least 148 bytes).
    public init(decoding bytes: UnsafeRawBufferPointer) {
        id = PacketBytes.u16(bytes, UsbIfWire.requestIDOffset)
        segmentCount = PacketBytes.u16(bytes, UsbIfWire.requestSegmentCountOffset)
        pipe = UsbPipe(rawValue: PacketBytes.u32(bytes, UsbIfWire.requestPipeOffset))
        transferFlags = PacketBytes.u16(bytes, UsbIfWire.requestFlagsOffset)
        bufferLength = PacketBytes.u16(bytes, UsbIfWire.requestBufferLengthOffset)
        var specific: [UInt8] = []
        for index in 0..<8 { specific.append(bytes[UsbIfWire.requestSpecificOffset + index]) }
        self.specific = specific
        var segments: [UsbSegment] = []
        for index in 0..<UsbIfWire.maxSegments {
            let base = UsbIfWire.requestSegmentsOffset + index * UsbIfWire.segmentSize
            segments.append(UsbSegment(ref: GrantRef(PacketBytes.u32(bytes, base)), offset: PacketBytes.u16(bytes, base + 4),
                                       length: PacketBytes.u16(bytes, base + 6)))
        }
        self.segments = segments
    }

    /// Encodes into 148 bytes (simulated frontends); `segmentCount` is written as is.
    public func encode(into bytes: UnsafeMutableRawBufferPointer) {
        for index in 0..<UsbIfWire.requestSize { bytes[index] = 0 }
        PacketBytes.put16(bytes, UsbIfWire.requestIDOffset, id)
        PacketBytes.put16(bytes, UsbIfWire.requestSegmentCountOffset, segmentCount)
        PacketBytes.put32(bytes, UsbIfWire.requestPipeOffset, pipe.rawValue)
        PacketBytes.put16(bytes, UsbIfWire.requestFlagsOffset, transferFlags)
        PacketBytes.put16(bytes, UsbIfWire.requestBufferLengthOffset, bufferLength)
        for index in 0..<min(8, specific.count) { bytes[UsbIfWire.requestSpecificOffset + index] = specific[index] }
        for (index, segment) in segments.prefix(UsbIfWire.maxSegments).enumerated() {
            let base = UsbIfWire.requestSegmentsOffset + index * UsbIfWire.segmentSize
            PacketBytes.put32(bytes, base, segment.ref.rawValue)
            PacketBytes.put16(bytes, base + 4, segment.offset)
            PacketBytes.put16(bytes, base + 6, segment.length)
        }
    }

    /// `u.unlink.unlink_id`.
    public var unlinkID: UInt16 { UInt16(specific[0]) | UInt16(specific[1]) << 8 }
    /// `u.isoc.interval` / `u.intr.interval`.
    public var interval: UInt16 { UInt16(specific[0]) | UInt16(specific[1]) << 8 }
    /// `u.isoc.start_frame`.
    public var isoStartFrame: UInt16 { UInt16(specific[2]) | UInt16(specific[3]) << 8 }
    /// `u.isoc.number_of_packets`.
    public var isoPacketCount: UInt16 { UInt16(specific[4]) | UInt16(specific[5]) << 8 }
    /// `u.isoc.nr_frame_desc_segs`.
    public var isoDescriptorSegmentCount: UInt16 { UInt16(specific[6]) | UInt16(specific[7]) << 8 }
    /// The setup packet's `bmRequestType`, `bRequest` and `wValue` (control requests).
    public var setupRequestType: UInt8 { specific[0] }
    public var setupRequest: UInt8 { specific[1] }
    public var setupValue: UInt16 { UInt16(specific[2]) | UInt16(specific[3]) << 8 }

    /// Type-specific octets of an unlink request for `id`.
    public static func unlinkSpecific(_ id: UInt16) -> [UInt8] {
        [UInt8(truncatingIfNeeded: id), UInt8(truncatingIfNeeded: id >> 8), 0, 0, 0, 0, 0, 0]
    }

    /// Type-specific octets of an isochronous request.
    public static func isoSpecific(interval: UInt16, startFrame: UInt16, packets: UInt16, descriptorSegments: UInt16) -> [UInt8] {
        var result: [UInt8] = []
        for value in [interval, startFrame, packets, descriptorSegments] {
            result.append(UInt8(truncatingIfNeeded: value))
            result.append(UInt8(truncatingIfNeeded: value >> 8))
        }
        return result
    }
}
