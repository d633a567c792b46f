// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

extension UsbDevice {
    /// Consumes one budget of URB requests (the channel copies each out
    /// before it is decoded) and handles them in order. True if requests are
    /// left: the backend gives the controller another turn after the others.
    func processRequests() throws(XenError) -> Bool {
        guard let channel = urbChannel else { return false }
        taken.removeAll(keepingCapacity: true)
        let more = try channel.serve { bytes, _ in
            taken.append(UrbRequest(decoding: bytes))
            return .noResponse
        }
        for request in taken {
            guard urbChannel != nil else { break }
            try handle(request)
        }
        taken.removeAll(keepingCapacity: true)
        return more
    }

    func handle(_ request: UrbRequest) throws(XenError) {
        if request.pipe.isUnlink {
            try unlink(request)
            return
        }
        let urb: InFlightUrb?
        do throws(UsbIfError) {
            urb = try prepare(request)
        } catch {
            logRequestError(request.id, error)
            try respond(id: request.id, status: error.status)
            return
        }
        guard let urb else {  // carried out by the backend itself (SET_ADDRESS)
            try respond(id: request.id, status: .ok)
            return
        }
        urbs.append(urb)
        try submitWaiting()
    }

    /// UNLINK: cancels the URB `unlink_id` (its own response follows when the
    /// host lets go of it) and answers the unlink request itself with OK.
    func unlink(_ request: UrbRequest) throws(XenError) {
        let port = request.pipe.port
        guard port >= 1, Int(port) <= numPorts else {
            try respond(id: request.id, status: .invalid)
            return
        }
        let target = request.unlinkID
        if let index = urbs.firstIndex(where: { $0.id == target }) {
            let urb = urbs[index]
            if urb.submitted {
                if !urb.unlinked {
                    urb.unlinked = true
                    host.cancel(urb.token)
                }
            } else {
                urbs.remove(at: index)
                release(urb)
                try respond(id: urb.id, status: .shutdown)
            }
        }
        try respond(id: request.id, status: .ok)
    }

    /// Validates a submit request, resolves its device, maps its memory and
    /// builds the host transfer; nil if the backend carried it out itself (SET_ADDRESS).
    func prepare(_ request: UrbRequest) throws(UsbIfError) -> InFlightUrb? {
        guard !urbs.contains(where: { $0.id == request.id }) else { throw .duplicateID(id: request.id) }
        let pipe = request.pipe
        guard pipe.port >= 1, Int(pipe.port) <= numPorts else { throw .portInvalid(port: pipe.port, numPorts: numPorts) }
        if pipe.type == .control {
            try UsbSetupPacket(request.specific).validate(pipeIsIn: pipe.isIn, bufferLength: request.bufferLength,
                                                          address: pipe.device)
        }
        guard let port = try resolvePort(request) else { return nil }
        guard let device = ports[Int(port) - 1].device else { throw .noDevice(port: port, address: pipe.device) }

        let bufferCount = Int(request.segmentCount)
        let descriptorCount = pipe.type == .isochronous ? Int(request.isoDescriptorSegmentCount) : 0
        guard bufferCount + descriptorCount <= UsbIfWire.maxSegments else {
            throw .tooManySegments(count: bufferCount + descriptorCount)
        }
        for index in 0..<(bufferCount + descriptorCount) where !request.segments[index].isWithinPage {
            throw .segmentOutsidePage(index: index, offset: request.segments[index].offset, length: request.segments[index].length)
        }
        let bufferSegments = Array(request.segments[0..<bufferCount])
        let segmentBytes = bufferSegments.reduce(0) { $0 + Int($1.length) }
        guard segmentBytes == Int(request.bufferLength) else {
            throw .bufferLengthMismatch(segments: segmentBytes, bufferLength: request.bufferLength)
        }
        let descriptorSegments = Array(request.segments[bufferCount..<(bufferCount + descriptorCount)])
        let packetCount = Int(request.isoPacketCount)
        if pipe.type == .isochronous {
            guard descriptorCount > 0 else { throw .isoDescriptorsInvalid(reason: "no descriptor segments") }
            guard packetCount > 0 else { throw .isoDescriptorsInvalid(reason: "no packets") }
            let descriptorBytes = descriptorSegments.reduce(0) { $0 + Int($1.length) }
            guard packetCount * UsbIfWire.isoDescriptorSize <= descriptorBytes else {
                throw .isoDescriptorsInvalid(reason: "\(packetCount) packets need \(packetCount * UsbIfWire.isoDescriptorSize) bytes, segments hold \(descriptorBytes)")
            }
        }

        var buffer: UrbBuffer?
        var descriptors: UrbBuffer?
        do throws(XenError) {
            if bufferCount > 0 {
                let mapping = try link.map(refs: bufferSegments.map { $0.ref }, writable: pipe.isIn)
                buffer = UrbBuffer(mapping: mapping, segments: bufferSegments)
            }
            if descriptorCount > 0 {
                let mapping = try link.map(refs: descriptorSegments.map { $0.ref }, writable: true)
                descriptors = UrbBuffer(mapping: mapping, segments: descriptorSegments)
            }
        } catch {
            if let buffer { try? link.unmap(buffer.mapping) }
            throw .bufferMapFailed(error)
        }

        var data: [UInt8] = []
        var length = Int(request.bufferLength)
        var isoOffsets: [UInt32] = []
        var isoLengths: [UInt32] = []
        if let descriptors {
            let table = descriptors.gather(count: packetCount * UsbIfWire.isoDescriptorSize)
            var total = 0
            for index in 0..<packetCount {
                let base = index * UsbIfWire.isoDescriptorSize
                isoOffsets.append(table.withUnsafeBytes { PacketBytes.u32($0, base) })
                isoLengths.append(table.withUnsafeBytes { PacketBytes.u32($0, base + 4) })
                total += Int(isoLengths[index])
            }
            do throws(UsbIfError) {
                try Self.checkIsoPackets(offsets: isoOffsets, lengths: isoLengths, bufferLength: request.bufferLength)
            } catch {
                if let buffer { try? link.unmap(buffer.mapping) }
                try? link.unmap(descriptors.mapping)
                throw error
            }
            if !pipe.isIn, let buffer {
                data.reserveCapacity(total)
                for index in 0..<packetCount {
                    data += buffer.gather(offset: Int(isoOffsets[index]), count: Int(isoLengths[index]))
                }
            }
            length = total
        } else if !pipe.isIn, let buffer {
            data = buffer.gather(count: length)
        }

        let token = USBTransferToken(rawValue: UInt64(serial) << 32 | UInt64(nextToken))
        nextToken &+= 1
        let transfer = USBTransfer(token: token, device: device.handle, type: pipe.type,
                                   endpoint: pipe.type == .control ? 0 : pipe.endpoint, isIn: pipe.isIn,
                                   setup: pipe.type == .control ? request.specific : [], data: data, length: length,
                                   shortNotOK: pipe.type != .control && request.transferFlags & UsbIfWire.shortNotOK != 0,
                                   isoPacketLengths: isoLengths)
        return InFlightUrb(request: request, port: port, transfer: transfer, buffer: buffer, descriptors: descriptors,
                           isoOffsets: isoOffsets)
    }

    /// Isochronous packets must each lie inside the buffer and must not
    /// overlap, so together they never describe more than `buffer_length`
    /// bytes (a 148-byte request cannot make the backend gather megabytes).
    static func checkIsoPackets(offsets: [UInt32], lengths: [UInt32], bufferLength: UInt16) throws(UsbIfError) {
        var spans: [(start: UInt64, end: UInt64, index: Int)] = []
        for index in offsets.indices {
            let start = UInt64(offsets[index])
            let end = start + UInt64(lengths[index])
            guard end <= UInt64(bufferLength) else {
                throw .isoDescriptorsInvalid(reason: "packet \(index) at \(offsets[index]) of \(lengths[index]) bytes lies outside the \(bufferLength)-byte buffer")
            }
            if end > start { spans.append((start, end, index)) }
        }
        spans.sort { $0.start < $1.start }
        var index = 1
        while index < spans.count {
            guard spans[index].start >= spans[index - 1].end else {
                throw .isoDescriptorsInvalid(reason: "packets \(spans[index - 1].index) and \(spans[index].index) overlap")
            }
            index += 1
        }
    }

    /// The port serving a request (by its guest address; address 0 is the
    /// device being enumerated on the pipe's port). SET_ADDRESS is carried out
    /// here, returning nil (USB 2.0 §9.4.6; as QEMU's xen-usb.c).
    func resolvePort(_ request: UrbRequest) throws(UsbIfError) -> UInt8? {
        let pipe = request.pipe
        let setup = UsbSetupPacket(request.specific)
        let isSetAddress = pipe.type == .control && setup.isStandard && setup.request == UsbSetupPacket.setAddress
        if pipe.device == 0 {
            guard pipe.type == .control, ports[Int(pipe.port) - 1].isAttached else {
                throw .noDevice(port: pipe.port, address: 0)
            }
            if isSetAddress {
                try setAddress(request, port: pipe.port, from: 0)
                return nil
            }
            guard request.setupRequest == UsbIfWire.requestGetDescriptor, request.setupRequestType == 0x80 else {
                throw .requestUnsupported(request: request.setupRequest, address: 0)
            }
            return pipe.port
        }
        let port = addresses[Int(pipe.device)]
        guard port != 0, ports[Int(port) - 1].isAttached else { throw .noDevice(port: pipe.port, address: pipe.device) }
        if isSetAddress {
            try setAddress(request, port: port, from: pipe.device)
            return nil
        }
        return port
    }

    private func setAddress(_ request: UrbRequest, port: UInt8, from old: UInt8) throws(UsbIfError) {
        let new = request.setupValue
        guard new < 128 else { throw .requestUnsupported(request: request.setupRequest, address: old) }
        if old != 0 { addresses[Int(old)] = 0 }
        if new != 0 { addresses[Int(new)] = port }
    }

    /// Hands waiting URBs to the host, oldest first, while their device has
    /// fewer than `maxUrbs` there.
    func submitWaiting() throws(XenError) {
        var index = 0
        while index < urbs.count {
            let urb = urbs[index]
            if urb.submitted || submittedCount(port: urb.port) >= options.maxUrbs {
                index += 1
                continue
            }
            do throws(UsbIfError) {
                try host.submit(urb.transfer)
                urb.submitted = true
                index += 1
            } catch {
                logRequestError(urb.id, error)
                urbs.remove(at: index)
                release(urb)
                try respond(id: urb.id, status: error.status)
            }
        }
    }

    /// URBs of the device on `port` at the host.
    func submittedCount(port: UInt8) -> Int { urbs.reduce(0) { $0 + ($1.submitted && $1.port == port ? 1 : 0) } }

    /// Unmaps a URB's guest memory.
    func release(_ urb: InFlightUrb) {
        if let buffer = urb.buffer { try? link.unmap(buffer.mapping) }
        if let descriptors = urb.descriptors { try? link.unmap(descriptors.mapping) }
    }
}
