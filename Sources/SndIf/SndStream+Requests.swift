// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

extension SndStream {
    /// Serves one request copied out of the ring; nil if a READ/WRITE now waits
    /// for the device. Every failure becomes the status of the response.
    func handle<Platform: XenPlatform>(_ request: SndRequest, link: XenbusLink<Platform>) -> SndResponse? {
        do throws(SndIfError) {
            switch request.body {
            case .open(let format, let rate, let channels, let bufferBytes, let directory, let periodBytes):
                try open(format: format, rate: rate, channels: channels, bufferBytes: bufferBytes,
                         directory: directory, periodBytes: periodBytes, link: link)
            case .close:
                close(link)
            case .range(let offset, let length):
                switch request.operation {
                case SndIfWire.opRead, SndIfWire.opWrite:
                    try startTransfer(request, offset: offset, length: length)
                    return continuePending()
                default:
                    try volume(request.operation, offset: offset, length: length)
                }
            case .trigger(let type):
                try trigger(type)
            case .query(let wanted):
                let ranges = try query(wanted)
                return SndResponse(id: request.id, operation: request.operation, status: 0, ranges: ranges)
            case .unknown:
                throw SndIfError.operationUnknown(operation: request.operation, trigger: nil)
            }
        } catch {
            return SndResponse(id: request.id, operation: request.operation, status: error.status)
        }
        return SndResponse(id: request.id, operation: request.operation, status: 0)
    }

    private func open<Platform: XenPlatform>(format: PCMFormat, rate: UInt32, channels: UInt8, bufferBytes: UInt32,
                                             directory: UInt32, periodBytes: UInt32, link: XenbusLink<Platform>) throws(SndIfError) {
        if state != .closed { close(link) }
        guard let sampleBytes = format.bytesPerSample, config.formats & format.maskBit != 0 else {
            throw .paramsUnsupported(reason: "format \(format.description) is not offered")
        }
        guard config.allows(rate: rate), rate > 0 else { throw .paramsUnsupported(reason: "rate \(rate) Hz is not offered") }
        guard config.channels.contains(UInt32(channels)), channels > 0 else {
            throw .paramsUnsupported(reason: "\(channels) channel(s) outside \(config.channels.min)...\(config.channels.max)")
        }
        guard Int(bufferBytes) <= config.bufferLimit else { throw .bufferTooLarge(bytes: bufferBytes, limit: config.bufferLimit) }
        let frameBytes = sampleBytes * Int(channels)
        guard bufferBytes > 0, Int(bufferBytes) % frameBytes == 0, Int(periodBytes) % frameBytes == 0,
              periodBytes <= bufferBytes else {
            throw .bufferGeometryInvalid(bufferBytes: bufferBytes, periodBytes: periodBytes, frameBytes: frameBytes)
        }
        let refs: [GrantRef]
        let mapping: GrantMapping
        do {
            refs = try PageDirectory.readRefs(grants: link.platform.grants, domain: link.frontendDomain,
                                              firstDirectoryRef: GrantRef(directory), byteCount: Int(bufferBytes),
                                              limit: config.bufferLimit)
            mapping = try link.map(refs: refs, writable: true)
        } catch {
            throw .bufferMapFailed(error)
        }
        let bufferFrames = bufferBytes / UInt32(frameBytes)
        let floor = Self.periodFloor(rate: rate)
        let asked = periodBytes > 0 ? periodBytes / UInt32(frameBytes) : max(1, bufferFrames / 4)
        let wanted = PCMParams(format: format, rate: rate, channels: UInt32(channels), bufferFrames: bufferFrames,
                               periodFrames: max(asked, floor))
        let negotiated: PCMParams
        do {
            negotiated = try pcm.open(wanted)
        } catch {
            try? link.unmap(mapping)
            throw error
        }
        buffer = mapping
        openBufferBytes = bufferBytes
        params = negotiated
        // Position events follow the device's period (never under the floor), not the guest's;
        // a guest that gave no period gets none.
        self.periodBytes = periodBytes == 0 ? 0 : UInt64(max(negotiated.periodFrames, floor)) * UInt64(frameBytes)
        reportedPeriods = 0
        framesBeforeStop = 0
        state = .prepared
    }

    /// The shortest period, in frames, a stream runs with: 1 ms at `rate`
    /// (a one-frame period would mean 48,000 timer wake-ups and position
    /// events a second). Rounded up without overflowing: the rate is the guest's.
    static func periodFloor(rate: UInt32) -> UInt32 { rate / 1000 + (rate % 1000 == 0 ? 0 : 1) }

    private func close<Platform: XenPlatform>(_ link: XenbusLink<Platform>) {
        guard state != .closed else { return }
        pcm.close()
        if let buffer { try? link.unmap(buffer) }
        buffer = nil
        params = nil
        pending = nil
        state = .closed
    }

    private func startTransfer(_ request: SndRequest, offset: UInt32, length: UInt32) throws(SndIfError) {
        guard state != .closed, let params else { throw .streamNotOpen(operation: request.operation) }
        let wanted: PCMDirection = request.operation == SndIfWire.opWrite ? .playback : .capture
        guard wanted == config.direction else { throw .directionMismatch(operation: request.operation) }
        try checkRange(offset: offset, length: length, unit: params.frameBytes)
        pending = (request, Int(offset), Int(length))
    }

    /// Checks `offset`/`length` against the mapped buffer (64-bit sums, no overflow).
    private func checkRange(offset: UInt32, length: UInt32, unit: Int) throws(SndIfError) {
        guard UInt64(offset) + UInt64(length) <= UInt64(openBufferBytes) else {
            throw .rangeOutsideBuffer(offset: offset, length: length, bufferBytes: Int(openBufferBytes))
        }
        guard unit > 0, Int(length) % unit == 0 else { throw .rangeMisaligned(length: length, unit: unit) }
    }

    private func volume(_ operation: UInt8, offset: UInt32, length: UInt32) throws(SndIfError) {
        guard state != .closed, let params, let buffer else { throw .streamNotOpen(operation: operation) }
        let channels = Int(params.channels)
        let isLevel = operation == SndIfWire.opSetVolume || operation == SndIfWire.opGetVolume
        let size = isLevel ? 4 * channels : channels
        guard Int(length) == size else { throw .rangeMisaligned(length: length, unit: size) }
        try checkRange(offset: offset, length: length, unit: size)
        var bytes = [UInt8](repeating: 0, count: size)
        let address = buffer.address + Int(offset)
        if operation != SndIfWire.opGetVolume {
            bytes.withUnsafeMutableBytes { SharedMemory.copy(to: $0.baseAddress!, from: address, count: size) }
        }
        switch operation {
        case SndIfWire.opSetVolume:
            var levels: [Int32] = []
            bytes.withUnsafeBytes { raw in
                for index in 0..<channels { levels.append(Int32(bitPattern: PacketBytes.u32(raw, index * 4))) }
            }
            try pcm.setVolume(levels)
        case SndIfWire.opGetVolume:
            let levels = try pcm.volume(channels: channels)
            bytes.withUnsafeMutableBytes { raw in
                for index in 0..<min(channels, levels.count) { PacketBytes.put32(raw, index * 4, UInt32(bitPattern: levels[index])) }
                SharedMemory.copy(to: address, from: raw.baseAddress!, count: size)
            }
        default:
            try pcm.setMute(bytes.map { $0 != 0 }, muted: operation == SndIfWire.opMute)
        }
    }

    private func trigger(_ type: UInt8) throws(SndIfError) {
        guard state != .closed else { throw .streamNotOpen(operation: SndIfWire.opTrigger) }
        switch (type, state) {
        case (SndIfWire.triggerStart, .prepared):
            try pcm.start()
            state = .running
        case (SndIfWire.triggerPause, .running):
            try pcm.pause()
            state = .paused
        case (SndIfWire.triggerResume, .paused):
            try pcm.resume()
            state = .running
        case (SndIfWire.triggerStop, .running), (SndIfWire.triggerStop, .paused):
            pending = nil
            let played = (try? pcm.position()) ?? 0
            try pcm.stop()
            framesBeforeStop &+= played
            state = .prepared
        case (SndIfWire.triggerStart, _), (SndIfWire.triggerPause, _), (SndIfWire.triggerResume, _), (SndIfWire.triggerStop, _):
            throw .triggerNotAllowed(type: type, state: state.rawValue)
        default:
            throw .operationUnknown(operation: SndIfWire.opTrigger, trigger: type)
        }
    }

    private func query(_ wanted: PCMRanges) throws(SndIfError) -> PCMRanges {
        let allowed = wanted.intersection(config.ranges)
        guard !allowed.isEmpty else { throw .paramsUnsupported(reason: "the requested ranges are outside the configuration") }
        let answer = try pcm.queryRanges(allowed).intersection(allowed)
        guard !answer.isEmpty else { throw .paramsUnsupported(reason: "the device supports none of the requested ranges") }
        return answer
    }
}
