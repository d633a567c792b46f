// SPDX-License-Identifier: GPL-2.0-only OR MIT
import UsbIf
import XenCore

/// Guest memory of one simulated URB: granted pages and the segments that
/// describe it (each segment within its own page, as Linux's xen-hcd makes them).
package struct SimulatedUsbBuffer {
    package let pages: [UnsafeMutableRawPointer]
    package let segments: [UsbSegment]

    package var byteCount: Int { segments.reduce(0) { $0 + Int($1.length) } }

    /// Copies `bytes` in at logical `offset`.
    package func write(_ bytes: [UInt8], at offset: Int = 0) {
        var position = 0
        var skip = offset
        for (index, segment) in segments.enumerated() where position < bytes.count {
            let length = Int(segment.length)
            if skip >= length {
                skip -= length
                continue
            }
            let step = min(length - skip, bytes.count - position)
            bytes.withUnsafeBytes {
                SharedMemory.copy(to: pages[index] + Int(segment.offset) + skip, from: $0.baseAddress! + position, count: step)
            }
            position += step
            skip = 0
        }
    }

    /// Copies `count` bytes out from logical `offset`.
    package func read(at offset: Int = 0, count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var skip = offset
        for (index, segment) in segments.enumerated() where result.count < count {
            let length = Int(segment.length)
            if skip >= length {
                skip -= length
                continue
            }
            let step = min(length - skip, count - result.count)
            let start = (pages[index] + Int(segment.offset) + skip).assumingMemoryBound(to: UInt8.self)
            result += Array(UnsafeBufferPointer(start: start, count: step))
            skip = 0
        }
        return result
    }
}
