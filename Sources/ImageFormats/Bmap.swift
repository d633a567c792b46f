// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// One mapped range of blocks (inclusive) with the SHA256 of its bytes.
package struct BmapRange: Sendable, Equatable {
    package var first: UInt64
    package var last: UInt64
    /// Lowercase hex SHA256 of the range's bytes (the last block may be short
    /// at the end of the image); nil if the bmap has none.
    package var sha256: String?

    package init(first: UInt64, last: UInt64, sha256: String?) {
        self.first = first
        self.last = last
        self.sha256 = sha256
    }
}

/// A block map in bmaptool's XML format, version 2.0: image size, block size,
/// the mapped block ranges with SHA256 each, and the checksum of the bmap
/// file itself (computed with its own value replaced by zeros).
package struct Bmap: Sendable, Equatable {
    package static let formatVersion = "2.0"
    package var imageSize: UInt64
    package var blockSize: UInt64
    /// Ascending, disjoint, non-adjacent ranges.
    package var ranges: [BmapRange]

    package init(imageSize: UInt64, blockSize: UInt64 = 4096, ranges: [BmapRange]) {
        self.imageSize = imageSize
        self.blockSize = blockSize
        self.ranges = ranges
    }

    /// Blocks in the image (the last one may be partial).
    package var blocksCount: UInt64 { (imageSize + blockSize - 1) / blockSize }
    /// Blocks listed in `ranges`.
    package var mappedBlocksCount: UInt64 { ranges.reduce(0) { $0 + $1.last - $1.first + 1 } }

    /// Byte range covered by a block range, clipped to the image size.
    package func byteRange(of range: BmapRange) -> Range<UInt64> {
        range.first * blockSize..<min((range.last + 1) * blockSize, imageSize)
    }

    /// The bmap of the image at `imagePath`. Mapped blocks are those touching
    /// `mappedByteRanges` (what a writer reports, e.g. `DiskImageResult`) or,
    /// when nil, the file's data regions from `SEEK_DATA`/`SEEK_HOLE`.
    ///
    /// - Parameter skipZeroBlocks: also leave out blocks that are all zero
    ///   (for images that lost their holes, e.g. copied without `--sparse`).
    ///   Only for images whose zero blocks need not be written: a target's
    ///   old data stays in them.
    package static func create(imagePath: String, mappedByteRanges: [Range<UInt64>]? = nil,
                              blockSize: UInt64 = 4096, skipZeroBlocks: Bool = false) throws(ImageFormatsError) -> Bmap {
        let file = try PositionalFile(path: imagePath, flags: O_RDONLY)
        let imageSize = try file.size()
        var byteRanges: [Range<UInt64>]
        if let mappedByteRanges { byteRanges = mappedByteRanges } else { byteRanges = try file.dataRegions() }
        if skipZeroBlocks {
            byteRanges = try nonZeroBlocks(of: file, in: byteRanges, blockSize: blockSize, imageSize: imageSize)
        }
        var blockRanges: [(first: UInt64, last: UInt64)] = []
        for range in byteRanges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            guard range.upperBound <= imageSize else {
                throw .bmapInvalid(reason: "mapped range \(range) ends beyond the image size \(imageSize)")
            }
            let first = range.lowerBound / blockSize
            let last = (range.upperBound - 1) / blockSize
            if let previous = blockRanges.last, first <= previous.last + 1 {
                blockRanges[blockRanges.count - 1].last = max(previous.last, last)
            } else {
                blockRanges.append((first, last))
            }
        }
        var bmap = Bmap(imageSize: imageSize, blockSize: blockSize, ranges: [])
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        for blocks in blockRanges {
            var range = BmapRange(first: blocks.first, last: blocks.last, sha256: nil)
            let bytes = bmap.byteRange(of: range)
            var hasher = SHA256()
            var position = bytes.lowerBound
            while position < bytes.upperBound {
                let length = Int(min(UInt64(buffer.count), bytes.upperBound - position))
                let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length])
                guard try file.read(into: slice, at: position) == length else {
                    throw .fileReadFailed(path: imagePath, errno: EIO)
                }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(slice))
                position += UInt64(length)
            }
            range.sha256 = Self.hex(hasher.finalize())
            bmap.ranges.append(range)
        }
        return bmap
    }

    /// The parts of `ranges`, in whole blocks, whose blocks hold a non-zero byte.
    static func nonZeroBlocks(of file: PositionalFile, in ranges: [Range<UInt64>], blockSize: UInt64,
                              imageSize: UInt64) throws(ImageFormatsError) -> [Range<UInt64>] {
        var result: [Range<UInt64>] = []
        let chunk = UInt64(1 << 20) / blockSize * blockSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(chunk), alignment: 4096)
        defer { buffer.deallocate() }
        for range in ranges {
            var position = range.lowerBound / blockSize * blockSize
            let end = min(imageSize, (range.upperBound + blockSize - 1) / blockSize * blockSize)
            while position < end {
                let length = Int(min(chunk, end - position))
                let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), at: position)
                var offset = 0
                while offset < got {
                    let blockEnd = min(got, offset + Int(blockSize))
                    let block = UnsafeRawBufferPointer(rebasing: buffer[offset..<blockEnd])
                    if block.contains(where: { $0 != 0 }) {
                        let start = position + UInt64(offset)
                        let stop = position + UInt64(blockEnd)
                        if let last = result.last, last.upperBound == start {
                            result[result.count - 1] = last.lowerBound..<stop
                        } else {
                            result.append(start..<stop)
                        }
                    }
                    offset = blockEnd
                }
                guard got > 0 else { break }
                position += UInt64(got)
            }
        }
        return result
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// bmaptool's `human_size` (`1.0 GiB`).
    static func humanSize(_ size: UInt64) -> String {
        if size == 1 { return "1 byte" }
        if size < 512 { return "\(size) bytes" }
        var value = Double(size)
        for unit in ["KiB", "MiB", "GiB", "TiB"] {
            value /= 1024
            if value < 1024 { return String(format: "%.1f", value) + " " + unit }
        }
        return String(format: "%.1f EiB", value / 1024)
    }
}
