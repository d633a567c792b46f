// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CDRM
import CLinux
import DisplIf
import XenCore

/// Shows guest frames on DRM/KMS connectors of one card (libdrm): at start each
/// output is lit in its preferred mode with the background colour; at SET_CONFIG
/// it picks the connector's mode matching the guest resolution (else its
/// preferred mode), creates dumb buffers and sets the CRTC; every PG_FLIP copies
/// the guest frame into a dumb buffer (copy mode). Without vsync the copy goes
/// into the scanned-out buffer and the flip is complete at once; with vsync it
/// goes into a spare buffer, flipped at the next vertical blank, and the flip is
/// reported complete by the DRM flip event (`fd` becomes readable).
public final class DRMDisplaySink: DisplaySink {
    public let cardPath: String
    public let vsync: Bool
    public let background: UInt32
    private var card: Int32
    /// The connectors by name (keyed by its bytes, see `ByteString`).
    private var outputs: [ByteString: DRMOutput] = [:]
    private var completed: [FlipTicket] = []
    private var events = [UInt64](repeating: 0, count: 64)

    /// Opens `cardPath` and checks that every connector in `outputs` exists.
    public init(cardPath: String, outputs names: [String], vsync: Bool, background: UInt32) throws(DisplIfError) {
        self.cardPath = cardPath
        self.vsync = vsync
        self.background = background & 0xFF_FFFF
        card = cdrm_open(cardPath)
        guard card >= 0 else { throw .cardOpenFailed(path: cardPath, errno: -card) }
        guard cdrm_has_dumb_buffers(card) != 0 else {
            cdrm_close(card)
            throw .cardOpenFailed(path: cardPath, errno: 95)
        }
        for name in names {
            var probe = cdrm_output()
            let result = name.withCString { cdrm_find_output(card, $0, 0, 0, 0, &probe) }
            if result == -2 {
                cdrm_close(card)
                throw .outputUnknown(name: name)
            }
            outputs[ByteString(name)] = DRMOutput(name: name)
        }
    }

    deinit { close() }

    /// Turns every output back to what it showed before and closes the card.
    public func close() {
        guard card >= 0 else { return }
        for name in outputs.keys.sorted() {
            guard let output = outputs[name] else { continue }
            if var original = output.original { _ = cdrm_restore(card, &original) }
            release(output)
        }
        cdrm_close(card)
        card = -1
    }

    public var fd: Int32 { vsync ? card : -1 }

    public func enable(output name: String, width: UInt32, height: UInt32, frame: DisplayFrame) throws(DisplIfError) {
        guard let output = outputs[ByteString(name)] else { throw .outputUnknown(name: name) }
        if !(output.enabled && output.requested.width == width && output.requested.height == height) {
            try setUp(output, width: width, height: height)
        }
        output.copy(frame, into: output.scanout, background: background)
    }

    /// Lights every output in its preferred mode painted with the background
    /// colour, before any guest shows a page. Returns the outputs that could not
    /// be lit, with the reason (a disconnected connector, for example).
    public func showBackground() -> [(output: String, error: DisplIfError)] {
        var failures: [(output: String, error: DisplIfError)] = []
        for name in outputs.keys.sorted() {
            guard let output = outputs[name] else { continue }
            do {
                try setUp(output, width: 0, height: 0)
                output.paint(output.scanout, background: background)
            } catch {
                failures.append((name.string, error))
            }
        }
        return failures
    }

    /// Picks the mode (`width`x`height`, else the preferred one) and a CRTC,
    /// makes the dumb buffers and sets the mode showing buffer 0.
    private func setUp(_ output: DRMOutput, width: UInt32, height: UInt32) throws(DisplIfError) {
        let name = output.name
        release(output)
        var busy: UInt32 = 0
        for other in outputs.values where other !== output && other.enabled { busy |= 1 << other.output.crtc_index }
        let found = name.withCString { cdrm_find_output(card, $0, width, height, busy, &output.output) }
        guard found == 0 else { throw .sinkFailed(output: name, step: "find connector, mode and CRTC", errno: -found) }
        if output.original == nil { output.original = output.output }
        output.requested = (width, height)
        for _ in 0..<(vsync ? 3 : 1) {
            var dumb = cdrm_dumb()
            let made = cdrm_dumb_create(card, UInt32(output.width), UInt32(output.height), &dumb)
            guard made == 0 else {
                release(output)
                throw .sinkFailed(output: name, step: "create dumb buffer", errno: -made)
            }
            output.buffers.append(dumb)
        }
        output.scanout = 0
        output.paint(0, background: background)
        let set = cdrm_set_crtc(card, &output.output, output.buffers[0].fb_id)
        guard set == 0 else {
            release(output)
            throw .sinkFailed(output: name, step: "set mode", errno: -set)
        }
        output.enabled = true
    }

    /// Paints the output with the background colour (it stays lit, as before
    /// the guest's first page); flips still waiting are reported complete.
    public func disable(output name: String) {
        guard let output = outputs[ByteString(name)], output.enabled, !output.buffers.isEmpty else { return }
        if let pending = output.pending { completed.append(pending.ticket) }
        if let queued = output.queued { completed.append(queued.ticket) }
        output.pending = nil
        output.queued = nil
        output.paint(output.scanout, background: background)
    }

    public func flip(output name: String, frame: DisplayFrame, ticket: FlipTicket) throws(DisplIfError) -> Bool {
        guard let output = outputs[ByteString(name)], output.enabled else { throw .outputUnknown(name: name) }
        guard vsync else {
            output.copy(frame, into: output.scanout, background: background)
            return true
        }
        if output.pending != nil {  // a flip is in flight: queue the newest frame behind it
            if let replaced = output.queued {
                output.copy(frame, into: replaced.buffer, background: background)
                completed.append(replaced.ticket)  // superseded: reported with the next completion
                output.queued = (replaced.buffer, ticket)
            } else if let spare = output.freeBuffer {
                output.copy(frame, into: spare, background: background)
                output.queued = (spare, ticket)
            }
            return false
        }
        guard let spare = output.freeBuffer else { throw .sinkFailed(output: name, step: "find a free buffer", errno: 16) }
        output.copy(frame, into: spare, background: background)
        let result = cdrm_page_flip(card, output.output.crtc_id, output.buffers[spare].fb_id, ticket.rawValue)
        guard result == 0 else { throw .sinkFailed(output: name, step: "page flip", errno: -result) }
        output.pending = (spare, ticket)
        return false
    }

    public func completedFlips() -> [FlipTicket] {
        let count = events.withUnsafeMutableBufferPointer { cdrm_read_flips(card, $0.baseAddress, 64) }
        for index in 0..<max(0, Int(count)) {
            let ticket = FlipTicket(rawValue: events[index])
            for output in outputs.values {
                guard let pending = output.pending, pending.ticket == ticket else { continue }
                output.scanout = pending.buffer
                output.pending = nil
                completed.append(ticket)
                if let queued = output.queued {
                    output.queued = nil
                    if cdrm_page_flip(card, output.output.crtc_id, output.buffers[queued.buffer].fb_id, queued.ticket.rawValue) == 0 {
                        output.pending = queued
                    } else {
                        completed.append(queued.ticket)
                    }
                }
            }
        }
        defer { completed.removeAll() }
        return completed
    }

    /// The EDID property blob of `output`'s DRM connector, if it has one.
    public func edid(output name: String) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: DisplIfWire.edidMaxSize)
        let count = name.withCString { connector in
            bytes.withUnsafeMutableBufferPointer { cdrm_connector_edid(card, connector, $0.baseAddress, $0.count) }
        }
        guard count > 0 else { return nil }
        return Array(bytes[0..<Int(count)])
    }

    /// Drops an output's buffers; flips still waiting are reported complete.
    private func release(_ output: DRMOutput) {
        if let pending = output.pending { completed.append(pending.ticket) }
        if let queued = output.queued { completed.append(queued.ticket) }
        output.pending = nil
        output.queued = nil
        for index in output.buffers.indices { cdrm_dumb_destroy(card, &output.buffers[index]) }
        output.buffers.removeAll()
        output.enabled = false
    }
}
