// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CDRM
import DisplIf

/// One DomD DRM connector a `DRMDisplaySink` drives: its CRTC and mode, and
/// dumb buffers the guest's frames are copied into — one (copy straight into
/// the scanned-out buffer, no vsync) or three (vsync: one scanned out, one
/// waiting for its flip, one holding the newest frame queued behind it).
final class DRMOutput {
    let name: String
    var output = cdrm_output()
    /// The output as first found: its CRTC's state before this process, restored at the end.
    var original: cdrm_output?
    /// The size last asked for (the mode may differ when the connector has no such mode).
    var requested: (width: UInt32, height: UInt32) = (0, 0)
    var buffers: [cdrm_dumb] = []
    var enabled = false
    /// Index of the scanned-out buffer.
    var scanout = 0
    /// The buffer a queued flip shows at the next vertical blank, and its ticket.
    var pending: (buffer: Int, ticket: FlipTicket)?
    /// The newest frame waiting behind `pending`, and its ticket.
    var queued: (buffer: Int, ticket: FlipTicket)?

    init(name: String) { self.name = name }

    /// Mode size, once enabled.
    var width: Int { Int(output.mode.hdisplay) }
    var height: Int { Int(output.mode.vdisplay) }

    /// A buffer neither scanned out, pending nor queued.
    var freeBuffer: Int? {
        for index in buffers.indices where index != scanout && index != pending?.buffer && index != queued?.buffer {
            return index
        }
        return nil
    }

    /// Paints all of buffer `index` with `background`.
    func paint(_ index: Int, background: UInt32) {
        let dumb = buffers[index]
        guard let map = dumb.map else { return }
        for row in 0..<Int(dumb.height) {
            let line = (map + row * Int(dumb.pitch)).assumingMemoryBound(to: UInt32.self)
            for column in 0..<Int(dumb.width) { line[column] = background }
        }
    }

    /// Copies `frame` into buffer `index` (converted to XRGB8888, from the top
    /// left), painting the rest of the mode with `background`.
    func copy(_ frame: DisplayFrame, into index: Int, background: UInt32) {
        let dumb = buffers[index]
        guard let map = dumb.map else { return }
        let pitch = Int(dumb.pitch)
        let rows = min(frame.height, Int(dumb.height))
        let columns = min(frame.width, Int(dumb.width))
        for row in 0..<Int(dumb.height) {
            let line = (map + row * pitch).assumingMemoryBound(to: UInt32.self)
            var start = 0
            if row < rows {
                frame.format.convertRow(from: frame.base + row * frame.pitch, to: UnsafeMutableRawPointer(line), width: columns)
                start = columns
            }
            var column = start
            while column < Int(dumb.width) {
                line[column] = background
                column += 1
            }
        }
    }
}
