// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore
import XenSimulator

/// A display buffer of a simulated frontend (a dumb buffer xen-drm-front
/// shares): its pages and the page directory that lists them.
package struct SimulatedDisplBuffer {
    package let directory: GrantRef
    package let pages: [UnsafeMutableRawPointer]
    package let refs: [GrantRef]
    package let byteCount: Int

    init(_ directory: SimulatedPageDirectory, byteCount: Int) {
        self.directory = directory.directoryRef
        self.pages = directory.pages
        self.refs = directory.refs
        self.byteCount = byteCount
    }

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

    /// Fills the buffer with 32-bit pixels: `pixel(x, y)` for a `width`-wide,
    /// `pitch`-byte-row picture.
    package func fill(width: Int, height: Int, pitch: Int, _ pixel: (Int, Int) -> UInt32) {
        var row = [UInt32](repeating: 0, count: width)
        for y in 0..<height {
            for x in 0..<width { row[x] = pixel(x, y).littleEndian }
            row.withUnsafeBytes { write($0, at: y * pitch) }
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

/// A display buffer the simulated frontend asks the backend to allocate
/// (be-alloc, XENDISPL_DBUF_FLG_REQ_ALLOC): only the page directory is the
/// frontend's, granted writable; the backend fills in its own pages' grants.
package struct SimulatedBackendBuffer {
    package let directory: GrantRef
    /// The directory pages, as the frontend sees them.
    package let directoryPages: [UnsafeMutableRawPointer]
    package let byteCount: Int

    /// The grant references the backend wrote into the directory.
    package func refs() -> [GrantRef] {
        var refs: [GrantRef] = []
        let count = PageDirectory.bufferPages(byteCount: byteCount)
        for index in 0..<count {
            let page = directoryPages[index / PageDirectory.refsPerPage]
            let raw = page.load(fromByteOffset: 4 + 4 * (index % PageDirectory.refsPerPage), as: UInt32.self)
            refs.append(GrantRef(UInt32(littleEndian: raw)))
        }
        return refs
    }
}
