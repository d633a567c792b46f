// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing

@Suite struct ByteCountTests {
    static let valid: [(String, UInt64)] = [
        ("2GiB", 2 << 30), ("256MiB", 256 << 20), ("64MiB", 64 << 20), ("512KiB", 512 << 10),
        ("1TiB", 1 << 40), ("64M", 64 << 20), ("4096", 4096), ("0x1000", 0x1000),
        ("0X40000000", 0x4000_0000), ("2 GiB", 2 << 30),
    ]
    static let printed: [(UInt64, String)] = [
        (2 << 30, "2GiB"), (4608 << 20, "4608MiB"), (1536 << 10, "1536KiB"), (100, "100"), (0, "0"),
    ]

    @Test(arguments: valid)
    func parses(text: String, bytes: UInt64) {
        #expect(ByteCount(parsing: text)?.bytes == bytes)
    }

    @Test(arguments: ["2GB", "lots", "", "-1", "1.5GiB", "0x", "GiB", "99999999999TiB", "0xZZ"])
    func rejects(text: String) {
        #expect(ByteCount(parsing: text) == nil)
    }

    @Test(arguments: printed)
    func printsLargestExactUnit(bytes: UInt64, text: String) {
        #expect(ByteCount(bytes: bytes).description == text)
        #expect(ByteCount(parsing: text)?.bytes == bytes)
    }

    @Test func regRangesOverlapOnlyWhenTheyShareAByte() {
        let range = RegRange(address: 0x1000, size: 0x100)
        #expect(range.overlaps(RegRange(address: 0x10ff, size: 1)))
        #expect(!range.overlaps(RegRange(address: 0x1100, size: 0x10)))
        #expect(!range.overlaps(RegRange(address: 0xf00, size: 0x100)))
        #expect(RegRange(address: .max - 1, size: 0x10).end == .max)
        #expect(range.description == "[0x1000, 0x100]")
    }
}
