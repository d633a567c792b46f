// SPDX-License-Identifier: Apache-2.0

/// A GPT partition type.
public struct PartitionType: Sendable, Hashable {
    public let name: String
    public let guid: DeterministicUUID

    /// EFI System partition (`C12A7328-F81F-11D2-BA4B-00A0C93EC93B`).
    public static let efiSystem = PartitionType(name: "EFI System", guid: "C12A7328-F81F-11D2-BA4B-00A0C93EC93B")
    /// Microsoft basic data (`EBD0A0A2-B9E5-4433-87C0-68B6B72699C7`): a FAT
    /// boot partition U-Boot reads.
    public static let microsoftBasicData = PartitionType(name: "Microsoft basic data", guid: "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7")
    /// Linux filesystem data (`0FC63DAF-8483-4772-8E79-3D69D8477DE4`).
    public static let linuxFilesystem = PartitionType(name: "Linux filesystem", guid: "0FC63DAF-8483-4772-8E79-3D69D8477DE4")

    private init(name: String, guid: String) {
        self.name = name
        self.guid = DeterministicUUID(string: guid)!
    }

    /// A type given by its GUID text; nil if malformed.
    public init?(name: String, guidString: String) {
        guard let guid = DeterministicUUID(string: guidString) else { return nil }
        self.name = name
        self.guid = guid
    }
}

/// One partition of a disk image, as in the board's flash layout.
public struct PartitionSpec: Sendable, Equatable {
    /// GPT partition name (at most 36 UTF-16 code units), also the source of
    /// its unique GUID.
    public var name: String
    public var type: PartitionType
    /// Size in bytes; nil fits the content, rounded up to the alignment.
    public var size: UInt64?
    /// Path of a filesystem image to place in the partition; nil leaves it empty.
    public var contentPath: String?
    /// GPT attribute bits (bit 2: legacy BIOS bootable).
    public var attributes: UInt64

    public init(name: String, type: PartitionType, size: UInt64?, contentPath: String?, attributes: UInt64 = 0) {
        self.name = name
        self.type = type
        self.size = size
        self.contentPath = contentPath
        self.attributes = attributes
    }
}

/// Disk-wide options of a GPT image.
public struct DiskImageOptions: Sendable, Equatable {
    /// Name the disk and partition GUIDs are derived from (the image name).
    public var imageName: String
    /// Logical sector size of the target (512 or 4096).
    public var sectorSize: UInt64
    /// Partition start and size alignment in bytes (1 MiB).
    public var alignment: UInt64

    public init(imageName: String, sectorSize: UInt64 = 512, alignment: UInt64 = 1 << 20) {
        self.imageName = imageName
        self.sectorSize = sectorSize
        self.alignment = alignment
    }
}

/// Where a partition ended up.
public struct PlacedPartition: Sendable, Equatable {
    public var name: String
    public var type: PartitionType
    public var guid: DeterministicUUID
    public var firstLBA: UInt64
    /// Inclusive, as in GPT.
    public var lastLBA: UInt64
    public var attributes: UInt64
}

/// The result of writing a disk image.
public struct DiskImageResult: Sendable, Equatable {
    public var size: UInt64
    public var diskGUID: DeterministicUUID
    public var partitions: [PlacedPartition]
    /// Byte ranges the writer put data into, ascending and disjoint; the
    /// rest of the file is holes. The bmap is made from these.
    public var mappedRanges: [Range<UInt64>]
}
