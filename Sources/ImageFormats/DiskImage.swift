// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A GPT disk image written by our code: protective MBR, primary header
/// (LBA 1) and entries (LBA 2…), the partitions at aligned offsets, backup
/// entries and header at the end. Disk and partition GUIDs are name-based
/// UUIDs of the image and partition names.
///
/// The output is sparse: partition contents are copied region by region
/// (`SEEK_DATA`/`SEEK_HOLE` of the content file) and nothing else is
/// written, so the holes are exactly what the bmap leaves out.
package enum DiskImage {
    /// Lays out `partitions` in order and writes the disk to `output`.
    @discardableResult
    package static func write(partitions: [PartitionSpec], to output: String,
                             options: DiskImageOptions) throws(ImageFormatsError) -> DiskImageResult {
        let sectorSize = options.sectorSize
        guard sectorSize == 512 || sectorSize == 4096 else {
            throw .diskLayoutInvalid(reason: "sector size \(sectorSize) is not 512 or 4096")
        }
        guard options.alignment % max(sectorSize, 4096) == 0, options.alignment > 0 else {
            throw .diskLayoutInvalid(reason: "alignment \(options.alignment) is not a multiple of \(max(sectorSize, 4096))")
        }
        guard !partitions.isEmpty, partitions.count <= Int(GPTTable.entryCount) else {
            throw .diskLayoutInvalid(reason: "\(partitions.count) partitions (1 to \(GPTTable.entryCount) allowed)")
        }
        var names: Set<String> = []
        var placed: [PlacedPartition] = []
        var contents: [(path: String, offset: UInt64)] = []
        let diskGUID = DeterministicUUID(name: options.imageName + "/disk")
        var offset = options.alignment
        for spec in partitions {
            guard names.insert(spec.name).inserted, !spec.name.isEmpty, spec.name.utf16.count <= 36 else {
                throw .diskLayoutInvalid(reason: "partition name '\(spec.name)' is empty, longer than 36 UTF-16 units or used twice")
            }
            var contentSize: UInt64 = 0
            if let path = spec.contentPath {
                contentSize = try PositionalFile(path: path, flags: O_RDONLY).size()
                contents.append((path, offset))
            }
            let size = spec.size ?? roundUp(max(contentSize, 1), to: options.alignment)
            guard size % sectorSize == 0, size > 0 else {
                throw .diskLayoutInvalid(reason: "partition '\(spec.name)' size \(size) is not a positive multiple of \(sectorSize)")
            }
            guard contentSize <= size else {
                throw .partitionContentTooLarge(partition: spec.name, contentBytes: contentSize, partitionBytes: size)
            }
            placed.append(PlacedPartition(
                name: spec.name, type: spec.type, guid: DeterministicUUID(name: options.imageName + "/partition/" + spec.name),
                firstLBA: offset / sectorSize, lastLBA: (offset + size) / sectorSize - 1, attributes: spec.attributes))
            offset = roundUp(offset + size, to: options.alignment)
        }
        let diskSize = offset + options.alignment
        let table = GPTTable(sectorSize: sectorSize, sectorCount: diskSize / sectorSize, diskGUID: diskGUID, partitions: placed)

        let file = try PositionalFile(path: output, flags: O_RDWR | O_CREAT | O_TRUNC)
        try file.truncate(to: diskSize)
        var mapped: [Range<UInt64>] = []
        let primary = table.primaryArea()
        try file.write(primary, at: 0)
        mapped.append(0..<UInt64(primary.count))
        for content in contents {
            mapped += try copyRegions(from: content.path, to: file, at: content.offset)
        }
        let backup = table.backupArea()
        let backupOffset = table.backupEntriesLBA * sectorSize
        try file.write(backup, at: backupOffset)
        mapped.append(backupOffset..<diskSize)
        try file.synchronize()
        return DiskImageResult(size: diskSize, diskGUID: diskGUID, partitions: placed, mappedRanges: mapped)
    }

    /// Copies the data regions of `path` into `file` at `base`; returns the
    /// byte ranges written.
    static func copyRegions(from path: String, to file: PositionalFile, at base: UInt64) throws(ImageFormatsError) -> [Range<UInt64>] {
        let source = try PositionalFile(path: path, flags: O_RDONLY)
        let regions = try source.dataRegions()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        for region in regions {
            var position = region.lowerBound
            while position < region.upperBound {
                let length = Int(min(UInt64(buffer.count), region.upperBound - position))
                let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length])
                let got = try source.read(into: slice, at: position)
                guard got == length else { throw .fileReadFailed(path: path, errno: EIO) }
                try file.write(UnsafeRawBufferPointer(slice), at: base + position)
                position += UInt64(length)
            }
        }
        return regions.map { base + $0.lowerBound..<base + $0.upperBound }
    }
}
