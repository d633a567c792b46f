// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import ImageFormats

/// Moves the mapped ranges of a bmap between image and target in chunks,
/// hashing as it goes, and reports progress per chunk.
struct RangeCopier {
    let map: Bmap
    let imagePath: String
    let source: PositionalFile
    let chunkSize: Int
    var mappedBytes: UInt64 { map.ranges.reduce(0) { $0 + UInt64(map.byteRange(of: $1).count) } }

    init(map: Bmap, imagePath: String, source: PositionalFile, chunkSize: Int) {
        self.map = map
        self.imagePath = imagePath
        self.source = source
        self.chunkSize = max(chunkSize, Int(map.blockSize))
    }

    /// Hashes every range of the image and compares with the bmap.
    func checkImage(progress: (FlashProgress) -> Void) throws(FlashError) {
        try forEachChunk(.checkingImage, progress: progress) { (range, bytes, offset, buffer) throws(FlashError) in
            let got: Int
            do throws(ImageFormatsError) { got = try source.read(into: buffer, at: offset) } catch {
                throw .readImageFailed(path: imagePath, offset: offset, errno: error.errnoValue)
            }
            guard got == buffer.count else { throw .imageTruncated(path: imagePath, size: offset + UInt64(got), expected: map.imageSize) }
        } finished: { range, computed throws(FlashError) in
            guard let expected = range.sha256, expected != computed else { return }
            throw .imageRangeChecksumMismatch(path: imagePath, firstBlock: range.first, lastBlock: range.last,
                                              offset: range.first * map.blockSize, expected: expected, computed: computed)
        }
    }

    /// Copies every range to `target`; with `hashing`, checks the image's
    /// ranges on the way (then a mismatch leaves the target partially written).
    func write(to target: PositionalFile, hashing: Bool, progress: (FlashProgress) -> Void) throws(FlashError) -> UInt64 {
        var written: UInt64 = 0
        try forEachChunk(.writing, hashing: hashing, progress: progress) { (range, bytes, offset, buffer) throws(FlashError) in
            let got: Int
            do throws(ImageFormatsError) { got = try source.read(into: buffer, at: offset) } catch {
                throw .readImageFailed(path: imagePath, offset: offset, errno: error.errnoValue)
            }
            guard got == buffer.count else { throw .imageTruncated(path: imagePath, size: offset + UInt64(got), expected: map.imageSize) }
            do throws(ImageFormatsError) { try target.write(UnsafeRawBufferPointer(buffer), at: offset) } catch {
                throw .writeTargetFailed(path: target.path, offset: offset, errno: error.errnoValue)
            }
            written += UInt64(buffer.count)
        } finished: { range, computed throws(FlashError) in
            guard hashing, let expected = range.sha256, expected != computed else { return }
            throw .imageRangeChecksumMismatch(path: imagePath, firstBlock: range.first, lastBlock: range.last,
                                              offset: range.first * map.blockSize, expected: expected, computed: computed)
        }
        do throws(ImageFormatsError) { try target.synchronize() } catch {
            throw .writeTargetFailed(path: target.path, offset: 0, errno: error.errnoValue)
        }
        return written
    }

    /// Drops the target's cached pages and reads every range back.
    func verify(_ target: PositionalFile, progress: (FlashProgress) -> Void) throws(FlashError) {
        _ = posix_fadvise(target.descriptor, 0, 0, POSIX_FADV_DONTNEED)
        try forEachChunk(.verifying, progress: progress) { (range, bytes, offset, buffer) throws(FlashError) in
            let got: Int
            do throws(ImageFormatsError) { got = try target.read(into: buffer, at: offset) } catch {
                throw .readTargetFailed(path: target.path, offset: offset, errno: error.errnoValue)
            }
            guard got == buffer.count else { throw .readTargetFailed(path: target.path, offset: offset + UInt64(got), errno: EIO) }
        } finished: { range, computed throws(FlashError) in
            guard let expected = range.sha256, expected != computed else { return }
            throw .verifyTargetMismatch(path: target.path, firstBlock: range.first, lastBlock: range.last,
                                        offset: range.first * map.blockSize, expected: expected, computed: computed)
        }
    }

    /// Calls `body` for each chunk of each range with a buffer of the chunk's
    /// size (to fill or to write), hashes the buffer after `body`, and calls
    /// `finished` with each range's hex SHA256.
    private func forEachChunk(_ phase: FlashProgress.Phase, hashing: Bool = true, progress: (FlashProgress) -> Void,
                              _ body: (BmapRange, Range<UInt64>, UInt64, UnsafeMutableRawBufferPointer) throws(FlashError) -> Void,
                              finished: (BmapRange, String) throws(FlashError) -> Void) throws(FlashError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 4096)
        defer { buffer.deallocate() }
        let total = mappedBytes
        var done: UInt64 = 0
        let start = Date()
        for range in map.ranges {
            let bytes = map.byteRange(of: range)
            var hasher = SHA256()
            var offset = bytes.lowerBound
            while offset < bytes.upperBound {
                let length = Int(min(UInt64(chunkSize), bytes.upperBound - offset))
                let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length])
                try body(range, bytes, offset, chunk)
                if hashing { hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk)) }
                offset += UInt64(length)
                done += UInt64(length)
                progress(FlashProgress(phase: phase, bytesDone: done, bytesTotal: total,
                                       secondsElapsed: Date().timeIntervalSince(start)))
            }
            if hashing {
                try finished(range, hasher.finalize().map { String(format: "%02x", $0) }.joined())
            }
        }
    }
}
