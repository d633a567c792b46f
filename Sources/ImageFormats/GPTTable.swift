// SPDX-License-Identifier: Apache-2.0

/// The bytes of a protective MBR and the GPT headers and entry arrays
/// (UEFI 2.10, chapter 5), for a disk of `sectorCount` sectors.
struct GPTTable {
    static let entryCount: UInt64 = 128
    static let entrySize: UInt64 = 128
    let sectorSize: UInt64
    let sectorCount: UInt64
    let diskGUID: DeterministicUUID
    let partitions: [PlacedPartition]

    var entriesSectors: UInt64 { Self.entryCount * Self.entrySize / sectorSize }
    var firstUsableLBA: UInt64 { 2 + entriesSectors }
    var lastUsableLBA: UInt64 { sectorCount - 2 - entriesSectors }
    var backupEntriesLBA: UInt64 { sectorCount - 1 - entriesSectors }

    /// LBA 0: one partition of type 0xEE covering the disk.
    func protectiveMBR() -> [UInt8] {
        var sector = [UInt8](repeating: 0, count: Int(sectorSize))
        let entry = 446
        sector[entry + 1] = 0x00
        sector[entry + 2] = 0x02
        sector[entry + 3] = 0x00
        sector[entry + 4] = 0xEE
        sector[entry + 5] = 0xFF
        sector[entry + 6] = 0xFF
        sector[entry + 7] = 0xFF
        put32(&sector, entry + 8, 1)
        put32(&sector, entry + 12, UInt32(min(sectorCount - 1, UInt64(UInt32.max))))
        sector[510] = 0x55
        sector[511] = 0xAA
        return sector
    }

    /// The partition entry array (identical for primary and backup).
    func entries() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(Self.entryCount * Self.entrySize))
        for (index, partition) in partitions.enumerated() {
            let at = index * Int(Self.entrySize)
            bytes.replaceSubrange(at..<at + 16, with: partition.type.guid.guidBytes)
            bytes.replaceSubrange(at + 16..<at + 32, with: partition.guid.guidBytes)
            put64(&bytes, at + 32, partition.firstLBA)
            put64(&bytes, at + 40, partition.lastLBA)
            put64(&bytes, at + 48, partition.attributes)
            for (unit, value) in partition.name.utf16.prefix(36).enumerated() {
                bytes[at + 56 + 2 * unit] = UInt8(value & 0xff)
                bytes[at + 57 + 2 * unit] = UInt8(value >> 8)
            }
        }
        return bytes
    }

    /// One header sector; `primary` selects LBA 1 or the last LBA.
    func header(primary: Bool, entriesCRC: UInt32) -> [UInt8] {
        var sector = [UInt8](repeating: 0, count: Int(sectorSize))
        sector.replaceSubrange(0..<8, with: Array("EFI PART".utf8))
        put32(&sector, 8, 0x0001_0000)
        put32(&sector, 12, 92)
        put64(&sector, 24, primary ? 1 : sectorCount - 1)
        put64(&sector, 32, primary ? sectorCount - 1 : 1)
        put64(&sector, 40, firstUsableLBA)
        put64(&sector, 48, lastUsableLBA)
        sector.replaceSubrange(56..<72, with: diskGUID.guidBytes)
        put64(&sector, 72, primary ? 2 : backupEntriesLBA)
        put32(&sector, 80, UInt32(Self.entryCount))
        put32(&sector, 84, UInt32(Self.entrySize))
        put32(&sector, 88, entriesCRC)
        put32(&sector, 16, CRC32.checksum(sector[0..<92].map { $0 }))
        return sector
    }

    /// LBA 0 through the end of the primary entry array.
    func primaryArea() -> [UInt8] {
        let array = entries()
        return protectiveMBR() + header(primary: true, entriesCRC: CRC32.checksum(array)) + array
    }

    /// Backup entry array followed by the backup header (the disk's last sectors).
    func backupArea() -> [UInt8] {
        let array = entries()
        return array + header(primary: false, entriesCRC: CRC32.checksum(array))
    }
}

func put32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
    for index in 0..<4 { bytes[offset + index] = UInt8(value >> (8 * UInt32(index)) & 0xff) }
}

func put64(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt64) {
    for index in 0..<8 { bytes[offset + index] = UInt8(value >> (8 * UInt64(index)) & 0xff) }
}
