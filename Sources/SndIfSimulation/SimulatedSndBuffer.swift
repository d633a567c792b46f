// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A shared buffer of a simulated frontend: its pages and the first page of
/// the page directory that lists them.
package struct SimulatedSndBuffer {
    package let directory: GrantRef
    package let pages: [UnsafeMutableRawPointer]
    package let byteCount: Int

    /// Copies `bytes` into the buffer at `offset` (across page boundaries).
    package func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        var done = 0
        while done < bytes.count {
            let position = offset + done
            let inPage = position % XenPage.size
            let count = min(XenPage.size - inPage, bytes.count - done)
            SharedMemory.copy(to: pages[position / XenPage.size] + inPage, from: bytes.baseAddress! + done, count: count)
            done += count
        }
    }

    /// Copies `count` bytes out of the buffer from `offset`.
    package func read(at offset: Int, count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        result.withUnsafeMutableBytes { bytes in
            var done = 0
            while done < count {
                let position = offset + done
                let inPage = position % XenPage.size
                let step = min(XenPage.size - inPage, count - done)
                SharedMemory.copy(to: bytes.baseAddress! + done, from: pages[position / XenPage.size] + inPage, count: step)
                done += step
            }
        }
        return result
    }
}
