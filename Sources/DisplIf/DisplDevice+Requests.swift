// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

extension DisplDevice {
    /// Serves one budget of a connector's requests (its `RequestChannel`),
    /// then sends the PG_FLIP events of flips that completed at once (after
    /// their responses, as the frontend expects). True if requests are left.
    /// Throws (closing the frontend) only for ring overruns and event-channel
    /// failures; every bad request gets a status.
    func processRequests(_ connector: DisplConnector) throws(XenError) -> Bool {
        var flips: [UInt64] = []
        let more = try connector.channel.serve { bytes, response in
            var flipCookie: UInt64?
            handle(DisplRequest(decoding: bytes), on: connector, flipDone: &flipCookie).encode(into: response)
            if let flipCookie { flips.append(flipCookie) }
            return .respond
        }
        for cookie in flips { try connector.sendFlipEvent(fbCookie: cookie, link: link) }
        return more
    }

    /// Serves one request copied out of the ring. `flipDone` is set when a
    /// PG_FLIP completed at once and its event is due.
    func handle(_ request: DisplRequest, on connector: DisplConnector, flipDone: inout UInt64?) -> DisplResponse {
        var edidBytes: UInt32 = 0
        do throws(DisplIfError) {
            switch request.body {
            case .dbufCreate(let cookie, let width, let height, let bpp, let size, let flags, let directory, let dataOffset):
                try requireRing0(request.operation, connector)
                try createBuffer(cookie: cookie, width: width, height: height, bpp: bpp, size: size, flags: flags,
                                 directory: directory, dataOffset: dataOffset)
            case .dbufDestroy(let cookie):
                try requireRing0(request.operation, connector)
                try destroyBuffer(cookie: cookie)
            case .fbAttach(let dbufCookie, let fbCookie, let width, let height, let format):
                try requireRing0(request.operation, connector)
                try attach(dbufCookie: dbufCookie, fbCookie: fbCookie, width: width, height: height, fourcc: format)
            case .fbDetach(let cookie):
                try requireRing0(request.operation, connector)
                try detach(fbCookie: cookie)
            case .setConfig(let cookie, let x, let y, let width, let height, let bpp):
                try setConfig(connector, fbCookie: cookie, x: x, y: y, width: width, height: height, bpp: bpp)
            case .pageFlip(let cookie):
                if try flip(connector, fbCookie: cookie) { flipDone = cookie }
            case .getEdid(let size, let directory):
                edidBytes = try writeEdid(connector, bufferBytes: size, directory: directory)
            case .unknown:
                throw DisplIfError.operationUnsupported(operation: request.operation)
            }
        } catch {
            logRefusal(error, connector: connector)
            return DisplResponse(id: request.id, operation: request.operation, status: error.status)
        }
        return DisplResponse(id: request.id, operation: request.operation, status: 0, edidBytes: edidBytes)
    }

    /// Logs why a request was refused, a bounded number of times per connection.
    private func logRefusal(_ error: DisplIfError, connector: DisplConnector) {
        connector.channel.logRefusal(log, prefix: "displif: \(link.backendPath): ") {
            "connector \(connector.spec.index): \(error.description)"
        }
    }

    private func requireRing0(_ operation: UInt8, _ connector: DisplConnector) throws(DisplIfError) {
        guard connector.spec.index == 0 else { throw .wrongRing(operation: operation, connector: connector.spec.index) }
    }

    private func createBuffer(cookie: UInt64, width: UInt32, height: UInt32, bpp: UInt32, size: UInt32, flags: UInt32,
                              directory: UInt32, dataOffset: UInt32) throws(DisplIfError) {
        let operation = DisplIfWire.opDbufCreate
        guard cookie != 0 else { throw .cookieZero(operation: operation) }
        guard buffers[cookie] == nil else { throw .cookieInUse(operation: operation, cookie: cookie) }
        guard flags & ~DisplIfWire.flagRequestAlloc == 0 else { throw .flagsUnknown(flags: flags) }
        let backendAllocates = flags & DisplIfWire.flagRequestAlloc != 0
        if backendAllocates && !backendAllocRequested { throw .backendAllocationUnsupported(cookie: cookie) }
        guard width > 0, height > 0, width <= options.maxDimension, height <= options.maxDimension,
              bpp > 0, bpp <= 32, bpp % 8 == 0 else {
            throw .geometryInvalid(operation: operation, width: width, height: height, bpp: bpp)
        }
        guard Int(size) <= options.bufferLimit else { throw .bufferTooLarge(bytes: UInt64(size), limit: options.bufferLimit) }
        let pitch = (UInt64(width) * UInt64(bpp) + 7) / 8
        let needed = UInt64(dataOffset) + pitch * UInt64(height)
        guard needed <= UInt64(size) else { throw .bufferTooSmall(needed: needed, bufferBytes: size) }
        guard buffers.count < options.maxBuffers else { throw .tooManyObjects(kind: "display buffer", limit: options.maxBuffers) }
        guard mappedBytes + Int(size) <= options.totalBufferLimit else {
            throw .bufferTooLarge(bytes: UInt64(mappedBytes) + UInt64(size), limit: options.totalBufferLimit)
        }
        let storage: DisplayBuffer.Storage
        if backendAllocates {
            storage = .shared(try allocateBuffer(byteCount: Int(size), directory: GrantRef(directory)))
        } else {
            do {
                let refs = try PageDirectory.readRefs(grants: link.platform.grants, domain: link.frontendDomain,
                                                      firstDirectoryRef: GrantRef(directory), byteCount: Int(size),
                                                      limit: options.bufferLimit)
                storage = .mapped(try link.map(refs: refs, writable: false))
            } catch {
                throw .bufferMapFailed(error)
            }
        }
        buffers[cookie] = DisplayBuffer(cookie: cookie, width: width, height: height, bpp: bpp, pitch: Int(pitch),
                                        dataOffset: Int(dataOffset), byteCount: Int(size), storage: storage)
        mappedBytes += Int(size)
    }

    /// be-alloc: allocates zeroed pages for `byteCount` bytes granted writable to
    /// the frontend, within the guest's cap, and writes their grant references
    /// into the frontend's page directory at `directory`.
    private func allocateBuffer(byteCount: Int, directory: GrantRef) throws(DisplIfError) -> SharedPages {
        let guest = link.frontendDomain
        let allocated = allocations.bytes[guest] ?? 0
        guard allocated + byteCount <= options.backendAllocationLimit else {
            throw .bufferTooLarge(bytes: UInt64(allocated) + UInt64(byteCount), limit: options.backendAllocationLimit)
        }
        let pages: SharedPages
        do {
            pages = try link.platform.sharer.share(domain: guest, count: PageDirectory.bufferPages(byteCount: byteCount),
                                                   writable: true)
        } catch {
            throw .bufferShareFailed(error)
        }
        do {
            try PageDirectory.writeRefs(pages.refs, grants: link.platform.grants, domain: guest, firstDirectoryRef: directory)
        } catch {
            try? link.platform.sharer.unshare(pages)
            throw .bufferMapFailed(error)
        }
        allocations.add(byteCount, for: guest)
        return pages
    }

    private func destroyBuffer(cookie: UInt64) throws(DisplIfError) {
        guard cookie != 0 else { throw .cookieZero(operation: DisplIfWire.opDbufDestroy) }
        guard let buffer = buffers.removeValue(forKey: cookie) else {
            throw .dbufUnknown(operation: DisplIfWire.opDbufDestroy, cookie: cookie)
        }
        for fb in framebuffers.values where fb.dbufCookie == cookie { framebuffers[fb.cookie] = nil }
        mappedBytes -= buffer.byteCount
        switch buffer.storage {
        case .mapped(let mapping):
            do { try link.unmap(mapping) } catch { throw .xenFailed(error) }
        case .shared(let pages):
            allocations.remove(buffer.byteCount, for: link.frontendDomain)
            do { try link.platform.sharer.unshare(pages) } catch { throw .xenFailed(error) }
        }
    }

    private func attach(dbufCookie: UInt64, fbCookie: UInt64, width: UInt32, height: UInt32, fourcc: UInt32) throws(DisplIfError) {
        let operation = DisplIfWire.opFbAttach
        guard dbufCookie != 0, fbCookie != 0 else { throw .cookieZero(operation: operation) }
        guard framebuffers[fbCookie] == nil else { throw .cookieInUse(operation: operation, cookie: fbCookie) }
        guard let buffer = buffers[dbufCookie] else { throw .dbufUnknown(operation: operation, cookie: dbufCookie) }
        guard let format = PixelFormat(fourcc: fourcc) else { throw .pixelFormatUnsupported(fourcc: fourcc) }
        guard width > 0, height > 0 else { throw .geometryInvalid(operation: operation, width: width, height: height, bpp: format.bitsPerPixel) }
        guard UInt64(width) * UInt64(format.bytesPerPixel) <= UInt64(buffer.pitch), height <= buffer.height else {
            throw .framebufferOutsideBuffer(width: width, height: height, dbufWidth: buffer.width, dbufHeight: buffer.height)
        }
        guard framebuffers.count < options.maxFramebuffers else {
            throw .tooManyObjects(kind: "framebuffer", limit: options.maxFramebuffers)
        }
        framebuffers[fbCookie] = Framebuffer(cookie: fbCookie, dbufCookie: dbufCookie, width: width, height: height, format: format)
    }

    private func detach(fbCookie: UInt64) throws(DisplIfError) {
        guard fbCookie != 0 else { throw .cookieZero(operation: DisplIfWire.opFbDetach) }
        guard framebuffers.removeValue(forKey: fbCookie) != nil else {
            throw .fbUnknown(operation: DisplIfWire.opFbDetach, cookie: fbCookie)
        }
    }

    /// The part of framebuffer `fb` a connector with `spec` configured at
    /// `config` shows: from (x, y) of the framebuffer (the CRTC's panning
    /// offsets), at most the connector's resolution and config's size, clipped
    /// to the framebuffer.
    func frame(_ fb: Framebuffer, _ config: ConnectorConfig, _ spec: DisplConnectorSpec) -> DisplayFrame? {
        guard let buffer = buffers[fb.dbufCookie] else { return nil }
        let x = min(config.x, fb.width)
        let y = min(config.y, fb.height)
        let width = Int(min(spec.width, config.width, fb.width - x))
        let height = Int(min(spec.height, config.height, fb.height - y))
        let base = buffer.pixels + Int(y) * buffer.pitch + Int(x) * fb.format.bytesPerPixel
        return DisplayFrame(base: base, pitch: buffer.pitch, width: width, height: height, format: fb.format)
    }

    /// SET_CONFIG. Linux's xen-drm-front sends the framebuffer's own size and
    /// the CRTC's panning offsets, so width and height may exceed the
    /// connector's resolution (which displif.h forbids): they are checked
    /// against the framebuffer instead, and the output shows the resolution.
    private func setConfig(_ connector: DisplConnector, fbCookie: UInt64, x: UInt32, y: UInt32, width: UInt32, height: UInt32,
                           bpp: UInt32) throws(DisplIfError) {
        if fbCookie == 0 && x == 0 && y == 0 && width == 0 && height == 0 && bpp == 0 {  // reset
            if connector.config != nil { sink.disable(output: connector.spec.output) }
            connector.config = nil
            try completeWaitingFlips(connector)
            return
        }
        let operation = DisplIfWire.opSetConfig
        guard fbCookie != 0 else { throw .cookieZero(operation: operation) }
        guard let fb = framebuffers[fbCookie] else { throw .fbUnknown(operation: operation, cookie: fbCookie) }
        guard width > 0, height > 0 else { throw .geometryInvalid(operation: operation, width: width, height: height, bpp: bpp) }
        guard x < fb.width, y < fb.height, width <= fb.width, height <= fb.height else {
            throw .configOutsideDisplay(x: x, y: y, width: width, height: height, limitWidth: fb.width, limitHeight: fb.height)
        }
        guard bpp == fb.format.bitsPerPixel else { throw .bppMismatch(bpp: bpp, formatBpp: fb.format.bitsPerPixel) }
        let spec = connector.spec
        let config = ConnectorConfig(fbCookie: fbCookie, x: x, y: y, width: width, height: height)
        guard let frame = frame(fb, config, spec) else { throw .dbufUnknown(operation: operation, cookie: fb.dbufCookie) }
        try sink.enable(output: spec.output, width: spec.width, height: spec.height, frame: frame)
        connector.config = config
    }

    /// Shows `fbCookie`; true if the flip is complete now (its event is due).
    private func flip(_ connector: DisplConnector, fbCookie: UInt64) throws(DisplIfError) -> Bool {
        let operation = DisplIfWire.opPageFlip
        guard fbCookie != 0 else { throw .cookieZero(operation: operation) }
        guard let fb = framebuffers[fbCookie] else { throw .fbUnknown(operation: operation, cookie: fbCookie) }
        guard var config = connector.config else { throw .connectorNotConfigured(connector: connector.spec.index) }
        guard connector.waitingFlips.count < DisplConnector.waitingLimit else {
            throw .tooManyObjects(kind: "waiting flip", limit: DisplConnector.waitingLimit)
        }
        config.fbCookie = fbCookie
        guard let frame = frame(fb, config, connector.spec) else { throw .dbufUnknown(operation: operation, cookie: fb.dbufCookie) }
        let ticket = tickets.take()
        let done = try sink.flip(output: connector.spec.output, frame: frame, ticket: ticket)
        connector.config = config
        if !done { connector.waitingFlips.append((ticket, fbCookie)) }
        return done
    }

    /// Sends the events of flips that will never complete (the output went off).
    private func completeWaitingFlips(_ connector: DisplConnector) throws(DisplIfError) {
        let waiting = connector.waitingFlips
        connector.waitingFlips.removeAll()
        for flip in waiting {
            do { try connector.sendFlipEvent(fbCookie: flip.fbCookie, link: link) } catch { throw .xenFailed(error) }
        }
    }

    private func writeEdid(_ connector: DisplConnector, bufferBytes: UInt32, directory: UInt32) throws(DisplIfError) -> UInt32 {
        guard version >= 2 else { throw .operationUnsupported(operation: DisplIfWire.opGetEdid) }
        guard Int(bufferBytes) >= DisplIfWire.edidMaxSize else { throw .edidBufferTooSmall(bytes: bufferBytes) }
        let limit = 2 * DisplIfWire.edidMaxSize
        guard Int(bufferBytes) <= limit else { throw .bufferTooLarge(bytes: UInt64(bufferBytes), limit: limit) }
        // The bound monitor's own EDID when it has a well-formed one, else one made for the resolution.
        let monitor = sink.edid(output: connector.spec.output).flatMap { EDID.isWellFormed($0) ? $0 : nil }
        guard let edid = monitor ?? EDID.block(width: connector.spec.width, height: connector.spec.height) else {
            throw .operationUnsupported(operation: DisplIfWire.opGetEdid)
        }
        let mapping: GrantMapping
        do {
            let refs = try PageDirectory.readRefs(grants: link.platform.grants, domain: link.frontendDomain,
                                                  firstDirectoryRef: GrantRef(directory), byteCount: Int(bufferBytes),
                                                  limit: limit)
            mapping = try link.map(refs: refs, writable: true)
        } catch {
            throw .bufferMapFailed(error)
        }
        edid.withUnsafeBytes { SharedMemory.copy(to: mapping.address, from: $0.baseAddress!, count: edid.count) }
        do { try link.unmap(mapping) } catch { throw .xenFailed(error) }
        return UInt32(edid.count)
    }
}
