// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CDRM
import DisplIf
import Testing
@testable import DRMDisplay

/// DRMOutput's copy into a dumb buffer and its buffer roles, on plain memory
/// standing in for mapped dumb buffers (no card needed).
@Suite struct DRMOutputTests {
    /// An output with `count` fake `width`x`height` dumb buffers (pitch padded by 16 bytes).
    static func output(width: UInt32, height: UInt32, count: Int) -> (DRMOutput, [UnsafeMutableRawPointer]) {
        let output = DRMOutput(name: "Virtual-1")
        var memory: [UnsafeMutableRawPointer] = []
        for _ in 0..<count {
            let pitch = width * 4 + 16
            let map = UnsafeMutableRawPointer.allocate(byteCount: Int(pitch * height), alignment: 64)
            map.initializeMemory(as: UInt8.self, repeating: 0xEE, count: Int(pitch * height))
            var dumb = cdrm_dumb()
            dumb.width = width
            dumb.height = height
            dumb.pitch = pitch
            dumb.size = UInt64(pitch * height)
            dumb.map = map
            output.buffers.append(dumb)
            memory.append(map)
        }
        return (output, memory)
    }

    @Test func copyConvertsClipsAndPaintsTheBackground() {
        let (output, memory) = Self.output(width: 8, height: 4, count: 1)
        defer { memory.forEach { $0.deallocate() } }
        let pixels = [UInt16](repeating: 0xF800, count: 6 * 3)  // RGB565 red, 6x3, pitch 12
        pixels.withUnsafeBytes { raw in
            output.copy(DisplayFrame(base: raw.baseAddress!, pitch: 12, width: 6, height: 3, format: .rgb565), into: 0,
                        background: 0x0000FF)
        }
        let pitch = Int(output.buffers[0].pitch)
        func pixel(_ x: Int, _ y: Int) -> UInt32 { memory[0].load(fromByteOffset: y * pitch + x * 4, as: UInt32.self) }
        #expect(pixel(0, 0) == 0xFF0000 && pixel(5, 2) == 0xFF0000)
        #expect(pixel(6, 0) == 0x0000FF && pixel(7, 2) == 0x0000FF, "right of the frame")
        #expect(pixel(0, 3) == 0x0000FF && pixel(7, 3) == 0x0000FF, "below the frame")
        #expect(memory[0].load(fromByteOffset: 32, as: UInt8.self) == 0xEE, "row padding untouched")
    }

    @Test func largerFrameIsClippedToTheMode() {
        let (output, memory) = Self.output(width: 2, height: 2, count: 1)
        defer { memory.forEach { $0.deallocate() } }
        let pixels = [UInt32](repeating: 0x123456, count: 16)
        pixels.withUnsafeBytes { raw in
            output.copy(DisplayFrame(base: raw.baseAddress!, pitch: 16, width: 4, height: 4, format: .xrgb8888), into: 0, background: 0)
        }
        #expect(memory[0].load(fromByteOffset: 4, as: UInt32.self) == 0x123456)
        #expect(memory[0].load(fromByteOffset: 8, as: UInt8.self) == 0xEE, "nothing written past the mode's width")
    }

    @Test func freeBufferSkipsScannedOutPendingAndQueued() {
        let (output, memory) = Self.output(width: 1, height: 1, count: 3)
        defer { memory.forEach { $0.deallocate() } }
        #expect(output.freeBuffer == 1)
        output.pending = (1, FlipTicket(rawValue: 1))
        #expect(output.freeBuffer == 2)
        output.queued = (2, FlipTicket(rawValue: 2))
        #expect(output.freeBuffer == nil)
    }
}
