// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The URB-level part of the USB/IP protocol (Linux
/// Documentation/usb/usbip_protocol.rst) that a device attached to `vhci-hcd`
/// speaks once the kernel holds its socket: the kernel sends `USBIP_CMD_SUBMIT`
/// and `USBIP_CMD_UNLINK`, the device answers `USBIP_RET_SUBMIT` and
/// `USBIP_RET_UNLINK`. Every field is big-endian; every header is 48 bytes.
package enum UsbIpWire {
    package static let commandSubmit: UInt32 = 0x0000_0001
    package static let commandUnlink: UInt32 = 0x0000_0002
    package static let replySubmit: UInt32 = 0x0000_0003
    package static let replyUnlink: UInt32 = 0x0000_0004
    /// Bytes of every command and reply header.
    package static let headerSize = 48
    /// Bytes of one isochronous packet descriptor (offset, length, actual_length, status).
    package static let isoDescriptorSize = 16
    /// Most isochronous packets in one URB (the kernel's `USBIP_MAX_ISO_PACKETS`).
    package static let maxIsoPackets = 1024
    /// Largest transfer buffer this device takes (its control transfers are
    /// at most a few hundred bytes, its isochronous URBs 1024 x 1023).
    package static let maxTransferLength = 1 << 20
    /// `number_of_packets` of a transfer that is not isochronous.
    package static let notIsochronous: UInt32 = 0xFFFF_FFFF
    /// `-ECONNRESET`: the status of an URB unlinked before it completed.
    package static let statusUnlinked: Int32 = -104
    /// `-EPIPE`: a stalled endpoint.
    package static let statusStall: Int32 = -32
}

/// Transfer direction of a command (`direction`: 0 out, 1 in).
package enum UsbIpDirection: UInt32, Equatable, Sendable {
    case out = 0
    case `in` = 1
}

/// One isochronous packet of a submitted URB: where it lies in the transfer buffer.
package struct UsbIpIsoPacket: Equatable, Sendable {
    package var offset: UInt32
    package var length: UInt32

    package init(offset: UInt32, length: UInt32) {
        self.offset = offset
        self.length = length
    }
}

/// `USBIP_CMD_SUBMIT`: one URB for the device.
package struct UsbIpSubmit: Equatable, Sendable {
    package var seqnum: UInt32
    package var devid: UInt32
    package var direction: UsbIpDirection
    /// Endpoint number (0-15), without the direction bit.
    package var endpoint: UInt8
    package var transferFlags: UInt32
    /// Bytes of the URB's buffer (OUT: the data that followed the header).
    package var transferLength: Int
    package var startFrame: Int32
    package var interval: Int32
    /// The control transfer's setup packet (8 bytes, zeros otherwise).
    package var setup: [UInt8]
    /// OUT data.
    package var data: [UInt8]
    /// Isochronous packets (empty for other transfers).
    package var isoPackets: [UsbIpIsoPacket]

    package init(seqnum: UInt32, devid: UInt32 = 0, direction: UsbIpDirection, endpoint: UInt8, transferFlags: UInt32 = 0,
                transferLength: Int, startFrame: Int32 = 0, interval: Int32 = 0, setup: [UInt8] = [UInt8](repeating: 0, count: 8),
                data: [UInt8] = [], isoPackets: [UsbIpIsoPacket] = []) {
        self.seqnum = seqnum
        self.devid = devid
        self.direction = direction
        self.endpoint = endpoint
        self.transferFlags = transferFlags
        self.transferLength = transferLength
        self.startFrame = startFrame
        self.interval = interval
        self.setup = setup
        self.data = data
        self.isoPackets = isoPackets
    }
}

/// A command from the kernel.
package enum UsbIpCommand: Equatable, Sendable {
    case submit(UsbIpSubmit)
    /// `USBIP_CMD_UNLINK` number `seqnum`, cancelling the URB `target`.
    case unlink(seqnum: UInt32, target: UInt32)
}

/// What made a command unreadable; the connection cannot continue after one.
package enum UsbIpWireError: Error, Equatable, CustomStringConvertible {
    case unknownCommand(UInt32)
    case directionInvalid(UInt32)
    case endpointInvalid(UInt32)
    case transferLengthInvalid(UInt32)
    case packetCountInvalid(UInt32)
    case isoPacketOutside(index: Int, offset: UInt32, length: UInt32, transferLength: Int)
    case isoPacketsTooLong(total: Int, transferLength: Int)

    package var description: String {
        switch self {
        case .unknownCommand(let value):
            return "USB/IP command \(value) is none of CMD_SUBMIT (1) and CMD_UNLINK (2)"
        case .directionInvalid(let value): return "USB/IP direction \(value) is neither 0 (out) nor 1 (in)"
        case .endpointInvalid(let value): return "USB/IP endpoint \(value) is above 15"
        case .transferLengthInvalid(let value):
            return "USB/IP transfer_buffer_length \(Int32(bitPattern: value)) is outside 0...\(UsbIpWire.maxTransferLength)"
        case .packetCountInvalid(let value):
            return "USB/IP number_of_packets \(Int32(bitPattern: value)) is neither -1 nor 0...\(UsbIpWire.maxIsoPackets)"
        case let .isoPacketOutside(index, offset, length, transferLength):
            return "isochronous packet \(index) at \(offset) of \(length) bytes lies outside the \(transferLength)-byte buffer"
        case let .isoPacketsTooLong(total, transferLength):
            return "isochronous packets of \(total) bytes in all exceed the \(transferLength)-byte buffer"
        }
    }
}

/// Reads commands from the byte stream of the kernel's socket: bytes go in as
/// they arrive, whole commands come out. A command's header is checked before
/// its payload is awaited, so a hostile length never makes it buffer more than
/// ``UsbIpWire/maxTransferLength`` plus the packet descriptors.
package struct UsbIpDecoder {
    private var buffer: [UInt8] = []
    private var start = 0

    package init() {}

    /// Bytes received and not yet part of a whole command.
    package var pendingBytes: Int { buffer.count - start }

    /// Adds received bytes.
    package mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole command, or nil until more bytes arrive.
    package mutating func next() throws(UsbIpWireError) -> UsbIpCommand? {
        guard pendingBytes >= UsbIpWire.headerSize else { return nil }
        let command = word(0)
        switch command {
        case UsbIpWire.commandUnlink:
            let result = UsbIpCommand.unlink(seqnum: word(4), target: word(20))
            consume(UsbIpWire.headerSize)
            return result
        case UsbIpWire.commandSubmit:
            guard let direction = UsbIpDirection(rawValue: word(12)) else { throw .directionInvalid(word(12)) }
            guard word(16) <= 15 else { throw .endpointInvalid(word(16)) }
            let lengthWord = word(24)
            guard lengthWord <= UInt32(UsbIpWire.maxTransferLength) else { throw .transferLengthInvalid(lengthWord) }
            let length = Int(lengthWord)
            let countWord = word(32)
            let packets: Int
            if countWord == UsbIpWire.notIsochronous {
                packets = 0
            } else {
                guard countWord <= UInt32(UsbIpWire.maxIsoPackets) else { throw .packetCountInvalid(countWord) }
                packets = Int(countWord)
            }
            let dataBytes = direction == .out ? length : 0
            let total = UsbIpWire.headerSize + dataBytes + packets * UsbIpWire.isoDescriptorSize
            guard pendingBytes >= total else { return nil }
            let base = start
            var submit = UsbIpSubmit(seqnum: word(4), devid: word(8), direction: direction, endpoint: UInt8(word(16)),
                                     transferFlags: word(20), transferLength: length,
                                     startFrame: Int32(bitPattern: word(28)), interval: Int32(bitPattern: word(36)),
                                     setup: Array(buffer[(base + 40)..<(base + 48)]),
                                     data: Array(buffer[(base + 48)..<(base + 48 + dataBytes)]))
            var sum = 0
            for index in 0..<packets {
                let at = UsbIpWire.headerSize + dataBytes + index * UsbIpWire.isoDescriptorSize
                let packet = UsbIpIsoPacket(offset: word(at), length: word(at + 4))
                guard UInt64(packet.offset) + UInt64(packet.length) <= UInt64(length) else {
                    throw .isoPacketOutside(index: index, offset: packet.offset, length: packet.length, transferLength: length)
                }
                sum += Int(packet.length)
                submit.isoPackets.append(packet)
            }
            guard sum <= length else { throw .isoPacketsTooLong(total: sum, transferLength: length) }
            consume(total)
            return .submit(submit)
        default:
            throw .unknownCommand(command)
        }
    }

    private func word(_ offset: Int) -> UInt32 {
        let at = start + offset
        return UInt32(buffer[at]) << 24 | UInt32(buffer[at + 1]) << 16 | UInt32(buffer[at + 2]) << 8 | UInt32(buffer[at + 3])
    }

    private mutating func consume(_ count: Int) {
        start += count
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 1 << 16 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// One isochronous packet's result in a reply.
package struct UsbIpIsoResult: Equatable, Sendable {
    package var offset: UInt32
    package var length: UInt32
    package var actualLength: UInt32
    package var status: Int32

    package init(offset: UInt32, length: UInt32, actualLength: UInt32, status: Int32 = 0) {
        self.offset = offset
        self.length = length
        self.actualLength = actualLength
        self.status = status
    }
}

/// Encodes the device's replies.
package enum UsbIpReply {
    /// `USBIP_RET_SUBMIT` for URB `seqnum`: the header, then IN `data` (for an
    /// isochronous URB the packets' bytes back to back, as the kernel's
    /// `usbip_pad_iso` expects), then the packets' descriptors.
    package static func submit(seqnum: UInt32, status: Int32 = 0, data: [UInt8] = [], startFrame: Int32 = 0,
                              isoPackets: [UsbIpIsoResult]? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(UsbIpWire.headerSize + data.count + (isoPackets?.count ?? 0) * UsbIpWire.isoDescriptorSize)
        append(UsbIpWire.replySubmit, to: &bytes)
        append(seqnum, to: &bytes)
        append(0, to: &bytes)  // devid
        append(0, to: &bytes)  // direction
        append(0, to: &bytes)  // ep
        append(UInt32(bitPattern: status), to: &bytes)
        append(UInt32(data.count), to: &bytes)
        append(UInt32(bitPattern: startFrame), to: &bytes)
        append(UInt32(isoPackets?.count ?? 0), to: &bytes)
        let errors = isoPackets?.filter { $0.status != 0 }.count ?? 0
        append(UInt32(errors), to: &bytes)
        bytes += [UInt8](repeating: 0, count: 8)
        bytes += data
        for packet in isoPackets ?? [] {
            append(packet.offset, to: &bytes)
            append(packet.length, to: &bytes)
            append(packet.actualLength, to: &bytes)
            append(UInt32(bitPattern: packet.status), to: &bytes)
        }
        return bytes
    }

    /// `USBIP_RET_UNLINK` for unlink command `seqnum`.
    package static func unlink(seqnum: UInt32, status: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(UsbIpWire.headerSize)
        append(UsbIpWire.replyUnlink, to: &bytes)
        append(seqnum, to: &bytes)
        for _ in 0..<3 { append(0, to: &bytes) }
        append(UInt32(bitPattern: status), to: &bytes)
        bytes += [UInt8](repeating: 0, count: 24)
        return bytes
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
