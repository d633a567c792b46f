// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

extension UsbDevice {
    /// Answers the URB a host completion belongs to: copies IN data (and
    /// isochronous packet results) into guest memory, unmaps it and responds.
    /// False if the completion is not this device's (or its URB was dropped).
    public func complete(_ completion: USBCompletion) throws(XenError) -> Bool {
        guard let index = urbs.firstIndex(where: { $0.submitted && $0.token == completion.token }) else { return false }
        let urb = urbs.remove(at: index)
        let status: UsbStatus = completion.cancelled || urb.unlinked && completion.status != .ok ? .shutdown : completion.status
        let limit = Int(urb.request.bufferLength)
        var actual = max(0, min(completion.actualLength, limit))
        var errorCount: Int32 = 0
        if urb.transfer.type == .isochronous {
            (actual, errorCount) = writeIsoResults(urb, completion)
        } else if urb.transfer.isIn, let buffer = urb.buffer {
            actual = min(actual, completion.data.count)
            completion.data.withUnsafeBytes { buffer.scatter(UnsafeRawBufferPointer(rebasing: $0[0..<actual]), at: 0) }
        }
        release(urb)
        try respond(UrbResponse(id: urb.id, startFrame: completion.startFrame, status: status.rawValue,
                                actualLength: Int32(actual), errorCount: errorCount))
        try submitWaiting()
        return true
    }

    /// Places each isochronous packet's data at its guest offset and writes its
    /// `actual_length` and `status` into its descriptor; returns the bytes moved
    /// and the number of packets that failed.
    private func writeIsoResults(_ urb: InFlightUrb, _ completion: USBCompletion) -> (Int, Int32) {
        guard let descriptors = urb.descriptors else { return (0, 0) }
        var position = 0
        var total = 0
        var errors: Int32 = 0
        for (index, offset) in urb.isoOffsets.enumerated() {
            let packetLength = Int(urb.transfer.isoPacketLengths[index])
            let result = index < completion.isoPackets.count ? completion.isoPackets[index]
                : USBIsoPacketResult(actualLength: 0, status: completion.cancelled ? .shutdown : completion.status)
            var actual = min(Int(result.actualLength), packetLength)
            if urb.transfer.isIn, let buffer = urb.buffer {
                actual = min(actual, max(0, completion.data.count - position))  // a host may return less than it says
                if actual > 0 {
                    completion.data.withUnsafeBytes {
                        buffer.scatter(UnsafeRawBufferPointer(rebasing: $0[position..<(position + actual)]), at: Int(offset))
                    }
                }
            }
            if result.status != .ok { errors += 1 }
            var entry = [UInt8](repeating: 0, count: 8)
            entry.withUnsafeMutableBytes {
                PacketBytes.put32($0, 0, UInt32(actual))
                PacketBytes.put32($0, 4, UInt32(bitPattern: result.status.rawValue))
            }
            entry.withUnsafeBytes { descriptors.scatter($0, at: index * UsbIfWire.isoDescriptorSize + 8) }
            total += actual
            position += packetLength
        }
        return (total, errors)
    }
}
