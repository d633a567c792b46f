// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

extension Bmap {
    /// The bmap file text, laid out as bmaptool 3.6 writes it, with the
    /// `BmapFileChecksum` filled in.
    package func xml() -> String {
        let imageHuman = Self.humanSize(imageSize)
        let mappedHuman = Self.humanSize(mappedBlocksCount * blockSize)
        let percent = blocksCount == 0 ? 0 : Double(mappedBlocksCount) * 100 / Double(blocksCount)
        var mappedComment = mappedHuman + " or " + String(format: "%.1f", percent) + "%"
        let placeholder = imageHuman.count + " or ".count + "100.0%".count
        mappedComment += String(repeating: " ", count: max(0, placeholder - mappedComment.count))
        let mappedCount = String(mappedBlocksCount)
        let mappedPadding = String(repeating: " ", count: max(0, String(blocksCount).count - mappedCount.count))
        var text = """
            <?xml version="1.0" ?>
            <!-- This file contains the block map for an image file, which is basically
                 a list of useful (mapped) block numbers in the image file. In other words,
                 it lists only those blocks which contain data (boot sector, partition
                 table, file-system metadata, files, directories, extents, etc). These
                 blocks have to be copied to the target device. The other blocks do not
                 contain any useful data and do not have to be copied to the target
                 device.

                 The block map an optimization which allows to copy or flash the image to
                 the image quicker than copying of flashing the entire image. This is
                 because with bmap less data is copied: <MappedBlocksCount> blocks instead
                 of <BlocksCount> blocks.

                 Besides the machine-readable data, this file contains useful commentaries
                 which contain human-readable information like image size, percentage of
                 mapped data, etc.

                 The 'version' attribute is the block map file format version in the
                 'major.minor' format. The version major number is increased whenever an
                 incompatible block map format change is made. The minor number changes
                 in case of minor backward-compatible changes. -->

            <bmap version="\(Self.formatVersion)">
                <!-- Image size in bytes: \(imageHuman) -->
                <ImageSize> \(imageSize) </ImageSize>

                <!-- Size of a block in bytes -->
                <BlockSize> \(blockSize) </BlockSize>

                <!-- Count of blocks in the image file -->
                <BlocksCount> \(blocksCount) </BlocksCount>

                <!-- Count of mapped blocks: \(mappedComment)   -->
                <MappedBlocksCount> \(mappedCount)\(mappedPadding) </MappedBlocksCount>

                <!-- Type of checksum used in this file -->
                <ChecksumType> sha256 </ChecksumType>

                <!-- The checksum of this bmap file. When it is calculated, the value of
                     the checksum has be zero (all ASCII "0" symbols).  -->
                <BmapFileChecksum> \(String(repeating: "0", count: 64)) </BmapFileChecksum>

                <!-- The block map which consists of elements which may either be a
                     range of blocks or a single block. The 'chksum' attribute
                     (if present) is the checksum of this blocks range. -->
                <BlockMap>

            """
        for range in ranges {
            let attribute = range.sha256.map { " chksum=\"\($0)\"" } ?? ""
            let blocks = range.first == range.last ? "\(range.first)" : "\(range.first)-\(range.last)"
            text += "        <Range\(attribute)> \(blocks) </Range>\n"
        }
        text += "    </BlockMap>\n</bmap>\n"
        let checksum = Self.hex(SHA256.hash(data: Array(text.utf8)))
        return text.replacingOccurrences(of: String(repeating: "0", count: 64), with: checksum,
                                         options: [], range: text.range(of: "<BmapFileChecksum> ").map { $0.upperBound..<text.endIndex })
    }

    /// Parses a bmap file (format 2.x, sha256) and verifies its own checksum
    /// first, then the consistency of sizes, counts and ranges.
    package static func parse(_ text: String) throws(ImageFormatsError) -> Bmap {
        let bytes = Array(text.utf8)
        let scanner = BmapScanner(text: text)
        let stored = try scanner.element("BmapFileChecksum")
        guard stored.value.count == 64, stored.value.allSatisfy(\.isHexDigit) else {
            throw .bmapParseFailed(line: stored.line, reason: "BmapFileChecksum '\(stored.value)' is not a sha256 hex digest")
        }
        var zeroed = bytes
        if let at = firstIndex(of: Array(stored.value.utf8), in: zeroed) {
            zeroed.replaceSubrange(at..<at + 64, with: Array(repeating: UInt8(ascii: "0"), count: 64))
        }
        let computed = hex(SHA256.hash(data: zeroed))
        guard computed == stored.value.lowercased() else {
            throw .bmapFileChecksumMismatch(stored: stored.value, computed: computed)
        }
        let version = try scanner.version()
        guard version.value.hasPrefix("2.") || version.value == "1.4" else {
            throw .bmapParseFailed(line: version.line, reason: "format version \(version.value) is not supported (2.x is)")
        }
        let type = try scanner.element("ChecksumType")
        guard type.value == "sha256" else {
            throw .bmapParseFailed(line: type.line, reason: "checksum type '\(type.value)' is not supported (sha256 is)")
        }
        let bmap = Bmap(imageSize: try scanner.number("ImageSize"), blockSize: try scanner.number("BlockSize"),
                        ranges: try scanner.ranges())
        guard bmap.blockSize > 0, bmap.blockSize % 512 == 0 else {
            throw .bmapInvalid(reason: "block size \(bmap.blockSize) is not a positive multiple of 512")
        }
        let blocksCount = try scanner.number("BlocksCount")
        guard blocksCount == bmap.blocksCount else {
            throw .bmapInvalid(reason: "BlocksCount \(blocksCount) does not match ImageSize \(bmap.imageSize) / BlockSize \(bmap.blockSize)")
        }
        var next: UInt64 = 0
        for range in bmap.ranges {
            guard range.first >= next, range.last < blocksCount else {
                throw .bmapInvalid(reason: "range \(range.first)-\(range.last) overlaps the previous one or ends beyond block \(blocksCount - 1)")
            }
            next = range.last + 1
        }
        let mapped = try scanner.number("MappedBlocksCount")
        guard mapped == bmap.mappedBlocksCount else {
            throw .bmapInvalid(reason: "MappedBlocksCount \(mapped) does not match the \(bmap.mappedBlocksCount) blocks of the ranges")
        }
        return bmap
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
        }
        return nil
    }
}
