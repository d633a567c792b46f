// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing
import XenConfig

@Suite("iomem page ranges")
struct IOMemRangeTests {
    @Test("a reg range covers whole 4 KiB pages: start rounded down, end rounded up", arguments: [
        (UInt64(0xec541000), UInt64(0x280), "ec541,1"),
        (0xfeb00000, 0x80000, "feb00,80"),
        (0xe6055400, 0x50, "e6055,1"),
        (0x1ff0, 0x20, "1,2"),
        (0x30860000, 0x10000, "30860,10"),
        (0x5_0000_0000, 0x1000, "500000,1"),
    ])
    func rounding(address: UInt64, size: UInt64, expected: String) {
        #expect(IOMemRange(covering: RegRange(address: address, size: size)).description == expected)
    }

    @Test("ranges on the same or adjacent pages are merged, others kept apart and sorted")
    func coalescing() {
        let regs = [
            RegRange(address: 0xee080100, size: 0x100),  // ehci0
            RegRange(address: 0xec541000, size: 0x280),
            RegRange(address: 0xee080000, size: 0x100),  // ohci0, same page
            RegRange(address: 0xec540000, size: 0x1000),  // adjacent page
            RegRange(address: 0xee0a0100, size: 0x100),
        ]
        #expect(IOMemRange.coalesced(regs).map(\.description) == ["ec540,2", "ee080,1", "ee0a0,1"])
    }

    @Test("a range inside another is absorbed")
    func nested() {
        let regs = [RegRange(address: 0xfeb00000, size: 0x80000), RegRange(address: 0xfeb10000, size: 0x10)]
        #expect(IOMemRange.coalesced(regs) == [IOMemRange(firstFrame: 0xfeb00, pageCount: 0x80)])
    }
}
