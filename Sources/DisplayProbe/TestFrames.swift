// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The known frames of the displif end-to-end test: frame `k` of a
/// `width`×`height` XRGB8888 sequence, a pattern that differs from every other
/// frame in every row, and the hash both ends compute over what they see.
///
/// The guest draws frame `k` and flips; DomD hashes what its display scans out
/// and looks the hash up (``ScanoutChecker``). Only the 24 colour bits count:
/// the X byte of XRGB8888 is undefined on the way.
package struct TestFrames: Sendable {
    package let width: Int
    package let height: Int

    package init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The pixel of frame `frame` at (`x`, `y`), X byte zero.
    @inline(__always)
    package static func pixel(frame: Int, x: Int, y: Int) -> UInt32 {
        // Horizontal gradients that move with the frame, crossed with a per-row and
        // per-frame key: each row of each frame is distinct, so a row shown from
        // another frame, shifted or left stale, changes the hash.
        let key = UInt32(truncatingIfNeeded: (frame &+ 1) &* 0x9E37_79B9) ^ UInt32(truncatingIfNeeded: y &* 0x85EB_CA6B)
        let ramp = UInt32(truncatingIfNeeded: (x &* 3) &+ (frame &* 17) &+ y)
        return (key ^ (ramp &* 0x0001_0101)) & 0x00FF_FFFF
    }

    /// Draws frame `frame` into `base`, rows `pitch` bytes apart.
    package func draw(frame: Int, into base: UnsafeMutableRawPointer, pitch: Int) {
        for y in 0..<height {
            let row = (base + y * pitch).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { row[x] = Self.pixel(frame: frame, x: x, y: y) }
        }
    }

    /// Hash of the `width`×`height` XRGB8888 picture at `base`, rows `pitch`
    /// bytes apart (FNV-1a over the 24 colour bits of each pixel, row by row).
    package func hash(_ base: UnsafeRawPointer, pitch: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for y in 0..<height {
            let row = (base + y * pitch).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width {
                hash = (hash ^ UInt64(row[x] & 0x00FF_FFFF)) &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }

    /// The hash of frame `frame` as drawn by ``draw(frame:into:pitch:)``.
    package func expectedHash(frame: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for y in 0..<height {
            for x in 0..<width {
                hash = (hash ^ UInt64(Self.pixel(frame: frame, x: x, y: y))) &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }
}
