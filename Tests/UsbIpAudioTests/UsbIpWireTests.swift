// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIpAudio

/// Big-endian words.
func be(_ words: [UInt32]) -> [UInt8] {
    words.flatMap { [UInt8($0 >> 24), UInt8(($0 >> 16) & 0xFF), UInt8(($0 >> 8) & 0xFF), UInt8($0 & 0xFF)] }
}

/// A CMD_SUBMIT as vhci-hcd sends it.
func submitBytes(seqnum: UInt32, direction: UInt32, endpoint: UInt32, length: UInt32, packets: UInt32 = UsbIpWire.notIsochronous,
                 setup: [UInt8] = [UInt8](repeating: 0, count: 8), data: [UInt8] = [], iso: [(UInt32, UInt32)] = []) -> [UInt8] {
    be([UsbIpWire.commandSubmit, seqnum, 0x0001_0002, direction, endpoint, 0, length, 0, packets, 1]) + setup + data
        + iso.flatMap { be([$0.0, $0.1, 0, 0]) }
}

@Suite("USB/IP wire (commands from vhci-hcd, replies to it)")
struct UsbIpWireTests {
    @Test("a control IN submit decodes with its setup packet")
    func controlIn() throws {
        var decoder = UsbIpDecoder()
        decoder.append(submitBytes(seqnum: 7, direction: 1, endpoint: 0, length: 18, setup: [0x80, 6, 0, 1, 0, 0, 18, 0]))
        let command = try decoder.next()
        #expect(command == .submit(UsbIpSubmit(seqnum: 7, devid: 0x0001_0002, direction: .in, endpoint: 0, transferLength: 18,
                                               interval: 1, setup: [0x80, 6, 0, 1, 0, 0, 18, 0])))
        #expect(decoder.pendingBytes == 0)
    }

    @Test("OUT data and isochronous descriptors follow the header; a command split anywhere waits for its end")
    func splitCommand() throws {
        let bytes = submitBytes(seqnum: 9, direction: 0, endpoint: 0, length: 3, packets: 0, data: [0x80, 0xBB, 0x00])
            + submitBytes(seqnum: 10, direction: 1, endpoint: 1, length: 384, packets: 2, iso: [(0, 192), (192, 192)])
        for cut in [1, 47, 48, 50, 51, 99, 120, bytes.count - 1] {
            var decoder = UsbIpDecoder()
            var commands: [UsbIpCommand] = []
            decoder.append(bytes[0..<cut])
            while let command = try decoder.next() { commands.append(command) }
            decoder.append(bytes[cut...])
            while let command = try decoder.next() { commands.append(command) }
            #expect(commands.count == 2, "cut at \(cut)")
            guard commands.count == 2, case let .submit(out) = commands[0], case let .submit(iso) = commands[1] else { continue }
            #expect(out.data == [0x80, 0xBB, 0x00])
            #expect(out.direction == .out)
            #expect(iso.isoPackets == [UsbIpIsoPacket(offset: 0, length: 192), UsbIpIsoPacket(offset: 192, length: 192)])
            #expect(iso.endpoint == 1)
        }
    }

    @Test("an unlink names the URB it cancels")
    func unlink() throws {
        var decoder = UsbIpDecoder()
        decoder.append(be([UsbIpWire.commandUnlink, 12, 0x0001_0002, 0, 1, 11, 0, 0, 0, 0, 0, 0]))
        #expect(try decoder.next() == .unlink(seqnum: 12, target: 11))
    }

    @Test("hostile headers are refused before their payload is awaited",
          arguments: [
            (be([5, 1, 0, 0, 0]) + [UInt8](repeating: 0, count: 28), UsbIpWireError.unknownCommand(5)),
            (submitBytes(seqnum: 1, direction: 2, endpoint: 0, length: 0), .directionInvalid(2)),
            (submitBytes(seqnum: 1, direction: 1, endpoint: 16, length: 0), .endpointInvalid(16)),
            (submitBytes(seqnum: 1, direction: 0, endpoint: 0, length: 0xFFFF_FFFF), .transferLengthInvalid(0xFFFF_FFFF)),
            (submitBytes(seqnum: 1, direction: 0, endpoint: 0, length: UInt32(UsbIpWire.maxTransferLength + 1)),
             .transferLengthInvalid(UInt32(UsbIpWire.maxTransferLength + 1))),
            (submitBytes(seqnum: 1, direction: 1, endpoint: 1, length: 192, packets: 1025), .packetCountInvalid(1025)),
          ])
    func hostileHeader(bytes: [UInt8], error: UsbIpWireError) {
        var decoder = UsbIpDecoder()
        decoder.append(bytes)
        #expect(throws: error) { try decoder.next() }
    }

    @Test("isochronous packets must lie inside the buffer and not add up past it")
    func isoPacketsBounded() {
        var outside = UsbIpDecoder()
        outside.append(submitBytes(seqnum: 1, direction: 1, endpoint: 1, length: 384, packets: 2, iso: [(0, 192), (200, 192)]))
        #expect(throws: UsbIpWireError.isoPacketOutside(index: 1, offset: 200, length: 192, transferLength: 384)) { try outside.next() }
        var overflow = UsbIpDecoder()
        overflow.append(submitBytes(seqnum: 1, direction: 1, endpoint: 1, length: 384, packets: 1, iso: [(0xFFFF_FFFF, 2)]))
        #expect(throws: UsbIpWireError.isoPacketOutside(index: 0, offset: 0xFFFF_FFFF, length: 2, transferLength: 384)) {
            try overflow.next()
        }
        var overlapping = UsbIpDecoder()
        overlapping.append(submitBytes(seqnum: 1, direction: 1, endpoint: 1, length: 384, packets: 3,
                                       iso: [(0, 192), (0, 192), (192, 192)]))
        #expect(throws: UsbIpWireError.isoPacketsTooLong(total: 576, transferLength: 384)) { try overlapping.next() }
    }

    @Test("RET_SUBMIT carries status, length, packed data and the packets' descriptors")
    func replySubmit() {
        let reply = UsbIpReply.submit(seqnum: 10, data: [1, 2, 3, 4], startFrame: 5,
                                      isoPackets: [UsbIpIsoResult(offset: 0, length: 192, actualLength: 4),
                                                   UsbIpIsoResult(offset: 192, length: 192, actualLength: 0, status: -18)])
        #expect(Array(reply[0..<48]) == be([3, 10, 0, 0, 0, 0, 4, 5, 2, 1, 0, 0]))
        #expect(Array(reply[48..<52]) == [1, 2, 3, 4])
        #expect(Array(reply[52...]) == be([0, 192, 4, 0, 192, 192, 0, UInt32(bitPattern: -18)]))
        let stall = UsbIpReply.submit(seqnum: 3, status: UsbIpWire.statusStall)
        #expect(stall == be([3, 3, 0, 0, 0, UInt32(bitPattern: -32), 0, 0, 0, 0, 0, 0]))
    }

    @Test("RET_UNLINK is a 48-byte header with the status")
    func replyUnlink() {
        #expect(UsbIpReply.unlink(seqnum: 12, status: -104) == be([4, 12, 0, 0, 0, UInt32(bitPattern: -104), 0, 0, 0, 0, 0, 0]))
    }
}
