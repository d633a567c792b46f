// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf

/// What the DRM sink does per frame, without a card: converts the guest frame
/// into a private XRGB8888 buffer of the mode's size; flips complete at once.
final class CopySink: DisplaySink {
    private var screen: [UInt32] = []
    private var width = 0
    private(set) var frames = 0

    var fd: Int32 { -1 }

    func enable(output: String, width: UInt32, height: UInt32, frame: DisplayFrame) throws(DisplIfError) {
        self.width = Int(width)
        screen = [UInt32](repeating: 0, count: Int(width) * Int(height))
        copy(frame)
    }

    func disable(output: String) {}

    func flip(output: String, frame: DisplayFrame, ticket: FlipTicket) throws(DisplIfError) -> Bool {
        copy(frame)
        return true
    }

    func completedFlips() -> [FlipTicket] { [] }

    func edid(output: String) -> [UInt8]? { nil }

    private func copy(_ frame: DisplayFrame) {
        let width = self.width
        screen.withUnsafeMutableBytes { raw in
            for row in 0..<frame.height {
                frame.format.convertRow(from: frame.base + row * frame.pitch, to: raw.baseAddress! + row * width * 4, width: min(frame.width, width))
            }
        }
        frames += 1
    }
}
