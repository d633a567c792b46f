// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SoundProbe
import Testing
import UsbIpAudio

/// Reads back one reply from `bytes` at `at`: (command, seqnum, status, actual length, data, descriptors).
struct Reply {
    var command: UInt32, seqnum: UInt32, status: Int32, actual: Int, data: [UInt8], packets: Int

    static func split(_ bytes: [UInt8]) -> [Reply] {
        func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        var replies: [Reply] = []
        var at = 0
        while at < bytes.count {
            let command = word(at)
            let status = Int32(bitPattern: word(at + 20))
            if command == UsbIpWire.replyUnlink {
                replies.append(Reply(command: command, seqnum: word(at + 4), status: status, actual: 0, data: [], packets: 0))
                at += 48
                continue
            }
            let actual = Int(word(at + 24)), packets = Int(word(at + 32))
            replies.append(Reply(command: command, seqnum: word(at + 4), status: status, actual: actual,
                                 data: Array(bytes[(at + 48)..<(at + 48 + actual)]), packets: packets))
            at += 48 + actual + packets * 16
        }
        return replies
    }
}

func control(_ seqnum: UInt32, _ setupBytes: [UInt8], data: [UInt8] = []) -> [UInt8] {
    let length = UInt32(setupBytes[6]) | UInt32(setupBytes[7]) << 8
    return submitBytes(seqnum: seqnum, direction: setupBytes[0] & 0x80 != 0 ? 1 : 0, endpoint: 0, length: length,
                       setup: setupBytes, data: data)
}

func isoIn(_ seqnum: UInt32, packets: Int) -> [UInt8] {
    submitBytes(seqnum: seqnum, direction: 1, endpoint: 1, length: UInt32(packets * 192), packets: UInt32(packets),
                iso: (0..<packets).map { (UInt32($0 * 192), 192) })
}

@Suite("USB/IP counter microphone server (timing, unlink, stalls)")
struct UsbIpAudioServerTests {
    static let ms: UInt64 = 1_000_000

    func streamingServer() throws -> UsbIpAudioServer {
        var server = UsbIpAudioServer()
        let replies = Reply.split(try server.receive(control(1, setup(0x00, 0x09, value: 1))
                                                     + control(2, setup(0x01, 0x0B, value: 1, index: 1)), now: 0))
        #expect(replies.map(\.status) == [0, 0])
        #expect(server.device.streaming)
        return server
    }

    @Test("control transfers are answered at once, a stall as -EPIPE")
    func controlAnswers() throws {
        var server = UsbIpAudioServer()
        let replies = Reply.split(try server.receive(control(5, setup(0x80, 6, value: 0x0100, length: 64))
                                                     + control(6, setup(0x80, 6, value: 0x0700, length: 64)), now: 0))
        #expect(replies.map(\.seqnum) == [5, 6])
        #expect(replies[0].data == CounterMicrophone.deviceDescriptor)
        #expect(replies[1].status == UsbIpWire.statusStall)
    }

    @Test("isochronous URBs complete one packet a millisecond, back to back, and their samples follow on")
    func pacing() throws {
        var server = try streamingServer()
        #expect(try server.receive(isoIn(10, packets: 8) + isoIn(11, packets: 8), now: 100 * Self.ms).isEmpty)
        #expect(server.nextDeadline == 108 * Self.ms)
        #expect(server.due(now: 107 * Self.ms).isEmpty)
        let first = Reply.split(server.due(now: 108 * Self.ms))
        #expect(first.map(\.seqnum) == [10])
        #expect(first[0].actual == 8 * 192 && first[0].packets == 8)
        #expect(server.nextDeadline == 116 * Self.ms)
        let second = Reply.split(server.due(now: 200 * Self.ms))
        #expect(second.map(\.seqnum) == [11])
        var checker = WindowChecker(minimumFrames: 16 * 48)
        var splitter = FrameSplitter()
        (first[0].data + second[0].data).withUnsafeBufferPointer { buffer in
            splitter.split(buffer) { checker.consume(left: $0, right: $1) }
        }
        #expect(checker.verdict().passed)
        // The endpoint idled: the next URB's clock starts when it arrives.
        _ = try server.receive(isoIn(12, packets: 4), now: 300 * Self.ms)
        #expect(server.nextDeadline == 304 * Self.ms)
    }

    @Test("an unlinked URB gets RET_UNLINK -ECONNRESET and no RET_SUBMIT; one already answered gets status 0")
    func unlink() throws {
        var server = try streamingServer()
        _ = try server.receive(isoIn(10, packets: 8) + isoIn(11, packets: 8), now: 0)
        let unlinked = Reply.split(try server.receive(be([UsbIpWire.commandUnlink, 20, 0, 0, 1, 10, 0, 0, 0, 0, 0, 0]), now: 1 * Self.ms))
        #expect(unlinked.map(\.command) == [UsbIpWire.replyUnlink])
        #expect(unlinked[0].seqnum == 20 && unlinked[0].status == UsbIpWire.statusUnlinked)
        #expect(server.nextDeadline == 9 * Self.ms)
        #expect(Reply.split(server.due(now: 9 * Self.ms)).map(\.seqnum) == [11])
        let late = Reply.split(try server.receive(be([UsbIpWire.commandUnlink, 21, 0, 0, 1, 11, 0, 0, 0, 0, 0, 0]), now: 10 * Self.ms))
        #expect(late[0].status == 0)
        #expect(server.unlinked == 1 && server.isoUrbs == 1)
    }

    @Test("isochronous URBs stall while the interface is not streaming, on another endpoint, or past the queue's cap")
    func isoRefused() throws {
        var idle = UsbIpAudioServer()
        #expect(Reply.split(try idle.receive(isoIn(1, packets: 1), now: 0)).map(\.status) == [UsbIpWire.statusStall])
        var server = try streamingServer()
        let other = submitBytes(seqnum: 3, direction: 1, endpoint: 2, length: 192, packets: 1, iso: [(0, 192)])
        #expect(Reply.split(try server.receive(other, now: 0)).map(\.status) == [UsbIpWire.statusStall])
        var bytes: [UInt8] = []
        for seqnum in 0..<UInt32(UsbIpAudioServer.maxQueuedUrbs + 1) { bytes += isoIn(100 + seqnum, packets: 1) }
        let replies = Reply.split(try server.receive(bytes, now: 0))
        #expect(replies.map(\.seqnum) == [100 + UInt32(UsbIpAudioServer.maxQueuedUrbs)])
        #expect(server.queuedUrbs == UsbIpAudioServer.maxQueuedUrbs)
    }

    @Test("a malformed command ends the connection with the decoder's error")
    func malformed() {
        var server = UsbIpAudioServer()
        #expect(throws: UsbIpWireError.unknownCommand(9)) {
            try server.receive(be([9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), now: 0)
        }
    }
}
