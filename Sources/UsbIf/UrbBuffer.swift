// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Guest memory of one URB: segments laid over a contiguous mapping of their
/// pages (segment `i` in page `i`). Every segment was checked to lie within its
/// page, so `gather`/`scatter` never touch memory outside the mapping.
struct UrbBuffer {
    let mapping: GrantMapping
    let segments: [UsbSegment]

    /// Total bytes the segments describe.
    var byteCount: Int { segments.reduce(0) { $0 + Int($1.length) } }

    /// Copies `count` bytes starting at logical `offset` out of guest memory.
    func gather(offset: Int = 0, count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        result.withUnsafeMutableBytes { bytes in
            walk(offset: offset, count: count) { page, done, step in
                SharedMemory.copy(to: bytes.baseAddress! + done, from: page, count: step)
            }
        }
        return result
    }

    /// Copies `bytes` into guest memory at logical `offset` (clipped to the segments).
    func scatter(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard let base = bytes.baseAddress else { return }
        walk(offset: offset, count: bytes.count) { page, done, step in
            SharedMemory.copy(to: page, from: base + done, count: step)
        }
    }

    /// Visits the pieces of [offset, offset+count) within the segments.
    private func walk(offset: Int, count: Int, _ body: (UnsafeMutableRawPointer, Int, Int) -> Void) {
        var skip = offset
        var done = 0
        for (index, segment) in segments.enumerated() where done < count {
            let length = Int(segment.length)
            if skip >= length {
                skip -= length
                continue
            }
            let step = min(length - skip, count - done)
            body(mapping.address + index * XenPage.size + Int(segment.offset) + skip, done, step)
            done += step
            skip = 0
        }
    }
}
