// SPDX-License-Identifier: Apache-2.0

/// The guest physical address space Xen 4.17 gives every Arm domain created by xl
/// (`xen/include/public/arch-arm.h`, "Virtual machine platform"), used to check
/// that 1:1 `iomem` mappings do not land on something the guest already has.
package struct GuestAddressMap: Sendable, Hashable {
    /// A named guest address range `[start, end)`.
    package struct Region: Sendable, Hashable {
        /// What the range holds, as the header names it.
        package var name: String
        /// First address.
        package var start: UInt64
        /// One past the last address.
        package var end: UInt64
        /// Creates a region.
        package init(name: String, start: UInt64, end: UInt64) {
            self.name = name
            self.start = start
            self.end = end
        }
        /// Whether `[start, end)` shares a byte with this region.
        package func overlaps(start otherStart: UInt64, end otherEnd: UInt64) -> Bool {
            otherStart < end && start < otherEnd
        }
    }

    /// The fixed regions of every xl-created Arm guest in Xen 4.17. The vPCI ECAM
    /// and ACPI windows are left out: xl 4.17 sets up neither for these domains.
    package static let reserved: [Region] = [
        Region(name: "GUEST_VIRTIO_MMIO (0x02000000)", start: 0x0200_0000, end: 0x0210_0000),
        Region(name: "the virtual GIC distributor (0x03001000)", start: 0x0300_1000, end: 0x0301_1000),
        Region(name: "the virtual GICv3 redistributors (0x03020000)", start: 0x0302_0000, end: 0x0402_0000),
        Region(name: "GUEST_PL011, the virtual UART (0x22000000)", start: 0x2200_0000, end: 0x2200_1000),
        Region(name: "GUEST_GNTTAB, the grant-table window (0x38000000)", start: 0x3800_0000, end: 0x3900_0000),
        Region(name: "GUEST_MAGIC, the console/xenstore pages (0x39000000)", start: 0x3900_0000, end: 0x3a00_0000),
    ]

    /// `GUEST_RAM0_BASE`/`GUEST_RAM0_SIZE`: the first 3 GiB of guest RAM at 1 GiB.
    package static let ram0 = (base: UInt64(0x4000_0000), size: UInt64(0xc000_0000))
    /// `GUEST_RAM1_BASE`: where RAM beyond 3 GiB continues.
    package static let ram1Base: UInt64 = 0x02_0000_0000

    /// Every region a domain with `memoryBytes` of RAM has: the fixed ones and its RAM.
    package static func regions(memoryBytes: UInt64) -> [Region] {
        var regions = reserved
        let low = min(memoryBytes, ram0.size)
        if low > 0 {
            regions.append(Region(name: "the domain's RAM (0x40000000, \(low >> 20) MiB)",
                                  start: ram0.base, end: ram0.base + low))
        }
        if memoryBytes > ram0.size {
            let high = memoryBytes - ram0.size
            regions.append(Region(name: "the domain's RAM (0x200000000, \(high >> 20) MiB)",
                                  start: ram1Base, end: ram1Base + high))
        }
        return regions
    }

    /// The first region `range` would overlap when mapped 1:1, if any.
    package static func conflict(of range: IOMemRange, memoryBytes: UInt64) -> Region? {
        regions(memoryBytes: memoryBytes).first {
            $0.overlaps(start: range.startAddress, end: range.endAddress)
        }
    }
}
