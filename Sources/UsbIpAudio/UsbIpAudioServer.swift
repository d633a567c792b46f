// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The device side of one USB/IP connection to `vhci-hcd`, serving a
/// ``CounterMicrophone``: control transfers are answered at once; each
/// isochronous IN URB is answered when its packets' time has come, one
/// packet a millisecond back to back (the clock restarts when the endpoint
/// idled), so the stream runs at the device's 48 kHz however fast the host
/// asks. Unlinked URBs are answered as `USBIP_RET_UNLINK` only.
///
/// Time is passed in (nanoseconds of a monotonic clock), so tests drive it.
package struct UsbIpAudioServer {
    /// Nanoseconds per isochronous packet (one full-speed frame).
    package static let packetNanoseconds: UInt64 = 1_000_000
    /// Most isochronous URBs waiting for their time; more is the host
    /// misbehaving and is answered with a stall.
    package static let maxQueuedUrbs = 64

    struct Queued {
        var submit: UsbIpSubmit
        var due: UInt64
    }

    package private(set) var device = CounterMicrophone()
    private var decoder = UsbIpDecoder()
    private var queue: [Queued] = []
    /// When the packet after the queued ones is due (nil: the endpoint is idle).
    private var clock: UInt64?
    /// Isochronous URBs answered.
    package private(set) var isoUrbs = 0
    /// URBs unlinked while they waited.
    package private(set) var unlinked = 0

    package init() {}

    /// Isochronous URBs waiting for their time.
    package var queuedUrbs: Int { queue.count }

    /// When the first waiting URB is due, if one waits.
    package var nextDeadline: UInt64? { queue.first?.due }

    /// Takes bytes from the kernel at time `now`; returns the replies due at once.
    package mutating func receive(_ bytes: [UInt8], now: UInt64) throws(UsbIpWireError) -> [UInt8] {
        decoder.append(bytes)
        var output: [UInt8] = []
        while let command = try decoder.next() {
            output += handle(command, now: now)
        }
        return output
    }

    /// The replies of the isochronous URBs due at `now`, in order.
    package mutating func due(now: UInt64) -> [UInt8] {
        var output: [UInt8] = []
        while let first = queue.first, first.due <= now {
            queue.removeFirst()
            output += answerIso(first.submit)
        }
        if queue.isEmpty, let last = clock, last <= now { clock = nil }
        return output
    }

    mutating func handle(_ command: UsbIpCommand, now: UInt64) -> [UInt8] {
        switch command {
        case let .unlink(seqnum, target):
            if let index = queue.firstIndex(where: { $0.submit.seqnum == target }) {
                queue.remove(at: index)
                unlinked += 1
                retime(from: index, now: now)
                return UsbIpReply.unlink(seqnum: seqnum, status: UsbIpWire.statusUnlinked)
            }
            return UsbIpReply.unlink(seqnum: seqnum, status: 0)
        case let .submit(submit):
            if submit.endpoint == 0 {
                switch device.control(setup: submit.setup, data: submit.data) {
                case .data(let bytes):
                    let reply = submit.direction == .in ? Array(bytes.prefix(submit.transferLength)) : []
                    return UsbIpReply.submit(seqnum: submit.seqnum, data: reply)
                case .stall:
                    return UsbIpReply.submit(seqnum: submit.seqnum, status: UsbIpWire.statusStall)
                }
            }
            guard submit.endpoint == CounterMicrophone.endpoint, submit.direction == .in, !submit.isoPackets.isEmpty,
                  device.streaming, queue.count < Self.maxQueuedUrbs else {
                return UsbIpReply.submit(seqnum: submit.seqnum, status: UsbIpWire.statusStall)
            }
            let start = max(clock ?? now, now)
            let due = start + UInt64(submit.isoPackets.count) * Self.packetNanoseconds
            clock = due
            queue.append(Queued(submit: submit, due: due))
            return []
        }
    }

    /// After an unlink, the URBs behind it move up to close the gap.
    private mutating func retime(from index: Int, now: UInt64) {
        var time = index == 0 ? now : queue[index - 1].due
        for position in index..<queue.count {
            time = max(time, now) + UInt64(queue[position].submit.isoPackets.count) * Self.packetNanoseconds
            queue[position].due = time
        }
        clock = queue.last?.due
    }

    private mutating func answerIso(_ submit: UsbIpSubmit) -> [UInt8] {
        let (data, actual) = device.record(packetLengths: submit.isoPackets.map { $0.length })
        isoUrbs += 1
        var results: [UsbIpIsoResult] = []
        results.reserveCapacity(actual.count)
        for (index, packet) in submit.isoPackets.enumerated() {
            results.append(UsbIpIsoResult(offset: packet.offset, length: packet.length, actualLength: actual[index]))
        }
        return UsbIpReply.submit(seqnum: submit.seqnum, data: data, startFrame: submit.startFrame, isoPackets: results)
    }
}
