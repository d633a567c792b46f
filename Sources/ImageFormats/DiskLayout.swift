// SPDX-License-Identifier: Apache-2.0

/// A GPT partition type.
package struct PartitionType: Sendable, Hashable {
    package let name: String
    package let guid: DeterministicUUID

    /// EFI System partition (`C12A7328-F81F-11D2-BA4B-00A0C93EC93B`).
    package static let efiSystem = PartitionType(name: "EFI System", guid: "C12A7328-F81F-11D2-BA4B-00A0C93EC93B")
    /// Microsoft basic data (`EBD0A0A2-B9E5-4433-87C0-68B6B72699C7`): a FAT
    /// boot partition U-Boot reads.
    package static let microsoftBasicData = PartitionType(name: "Microsoft basic data", guid: "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7")
    /// Linux filesystem data (`0FC63DAF-8483-4772-8E79-3D69D8477DE4`).
    package static let linuxFilesystem = PartitionType(name: "Linux filesystem", guid: "0FC63DAF-8483-4772-8E79-3D69D8477DE4")

    private init(name: String, guid: String) {
        self.name = name
        self.guid = DeterministicUUID(string: guid)!
    }

    /// A type given by its GUID text; nil if malformed.
    package init?(name: String, guidString: String) {
        guard let guid = DeterministicUUID(string: guidString) else { return nil }
        self.name = name
        self.guid = guid
    }
}

/// One partition of a disk image, as in the board's flash layout.
package struct PartitionSpec: Sendable, Equatable {
    /// GPT partition name (at most 36 UTF-16 code units), also the source of
    /// its unique GUID.
    package var name: String
    package var type: PartitionType
    /// Size in bytes; nil fits the content, rounded up to the alignment.
    package var size: UInt64?
    /// Path of a filesystem image to place in the partition; nil leaves it empty.
    package var contentPath: String?
    /// GPT attribute bits (bit 2: legacy BIOS bootable).
    package var attributes: UInt64

    package init(name: String, type: PartitionType, size: UInt64?, contentPath: String?, attributes: UInt64 = 0) {
        self.name = name
        self.type = type
        self.size = size
        self.contentPath = contentPath
        self.attributes = attributes
    }
}

/// Disk-wide options of a GPT image.
package struct DiskImageOptions: Sendable, Equatable {
    /// Name the disk and partition GUIDs are derived from (the image name).
    package var imageName: String
    /// Logical sector size of the target (512 or 4096).
    package var sectorSize: UInt64
    /// Partition start and size alignment in bytes (1 MiB).
    package var alignment: UInt64

    package init(imageName: String, sectorSize: UInt64 = 512, alignment: UInt64 = 1 << 20) {
        self.imageName = imageName
        self.sectorSize = sectorSize
        self.alignment = alignment
    }
}

/// Where a partition ended up.
package struct PlacedPartition: Sendable, Equatable {
    package var name: String
    package var type: PartitionType
    package var guid: DeterministicUUID
    package var firstLBA: UInt64
    /// Inclusive, as in GPT.
    package var lastLBA: UInt64
    package var attributes: UInt64
}

/// The result of writing a disk image.
package struct DiskImageResult: Sendable, Equatable {
    package var size: UInt64
    package var diskGUID: DeterministicUUID
    package var partitions: [PlacedPartition]
    /// Byte ranges the writer put data into, ascending and disjoint; the
    /// rest of the file is holes. The bmap is made from these.
    package var mappedRanges: [Range<UInt64>]
}
