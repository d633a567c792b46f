// SPDX-License-Identifier: Apache-2.0

/// A board: an ARM SoC, its memory, console, boot loader, flash layout and the
/// devices that can be given to the driver domain. Loaded from `Boards/<name>.yaml`.
package struct Board: Sendable, Hashable {
    /// The board's name; equals the file name without `.yaml`.
    package var name: String
    /// One line for `driverdom boards`.
    package var description: String
    /// CPU architecture of the SoC.
    package var architecture: Architecture
    /// SoC name, e.g. `r8a7795`.
    package var soc: String
    /// Upstream Linux DTB file for the board, relative to the kernel's `dtbs`
    /// folder (e.g. `renesas/r8a77951-salvator-xs.dtb`); nil when the machine makes
    /// its own device tree (QEMU).
    package var dtb: String?
    /// Where the build takes `dtb` from (`dtb_source`, default the kernel package).
    package var dtbSource: DTBSource = .kernelPackage
    /// The RAM bank the boot loader loads into (`ram.base`, `ram.size`).
    package var ram: MemoryRegion
    /// Further RAM banks (`ram.more_banks`), e.g. above 4 GiB; Xen uses them all.
    package var moreRAM: [MemoryRegion] = []
    /// All RAM the domains share: `ram` plus `moreRAM`.
    package var totalRAM: ByteCount {
        ByteCount(bytes: moreRAM.reduce(ram.size.bytes) { $0 + $1.size.bytes })
    }
    /// Xen's console UART and the Linux console inside the domains.
    package var console: BoardConsole
    /// Boot loader and load addresses.
    package var boot: BootFacts
    /// Partition layout of the boot medium.
    package var flash: FlashLayout
    /// Devices that can be passed to (or exist virtually inside) the driver domain.
    package var devices: [BoardDevice]
    /// Whether this board's Xen maps a separate driver domain's memory 1:1
    /// (`domd_direct_map`), so DMA masters without an IOMMU reach it. xl-created
    /// domains of Xen 4.17 are not mapped 1:1, so the default is false.
    package var domdDirectMap = false
    /// Where the board's mapping starts in its file.
    package var location: SourceLocation

    /// Creates a board.
    package init(name: String, description: String, architecture: Architecture, soc: String,
                dtb: String?, ram: MemoryRegion, console: BoardConsole, boot: BootFacts,
                flash: FlashLayout, devices: [BoardDevice], location: SourceLocation) {
        self.name = name
        self.description = description
        self.architecture = architecture
        self.soc = soc
        self.dtb = dtb
        self.ram = ram
        self.console = console
        self.boot = boot
        self.flash = flash
        self.devices = devices
        self.location = location
    }

    /// The device with id `id`, if the board has one.
    package func device(id: String) -> BoardDevice? { devices.first { $0.id == id } }
}

/// Where a board's upstream DTB comes from.
package enum DTBSource: String, Sendable, Hashable, CaseIterable {
    /// The DTB Debian's kernel package ships (`usr/lib/linux-image-VERSION/`).
    case kernelPackage = "kernel-package"
    /// Compiled from `arch/<arch>/boot/dts/` of Debian's linux-source (for boards
    /// whose DTB the kernel package does not ship).
    case linuxSource = "linux-source"
}

/// CPU architectures a board may declare.
package enum Architecture: String, Sendable, Hashable, CaseIterable {
    /// 64-bit ARM (required by Xen on ARM in practice; the default).
    case aarch64
    /// 32-bit ARMv7-A with virtualization extensions.
    case armv7
    /// The Debian architecture name (`arm64`, `armhf`).
    package var debianName: String { self == .aarch64 ? "arm64" : "armhf" }
}

/// A physical memory range: `base:` address and `size:`.
package struct MemoryRegion: Sendable, Hashable {
    /// Physical start address.
    package var base: UInt64
    /// Size in bytes.
    package var size: ByteCount
    /// Creates a region.
    package init(base: UInt64, size: ByteCount) {
        self.base = base
        self.size = size
    }
}

/// Console facts (`console:`).
package struct BoardConsole: Sendable, Hashable {
    /// Device-tree path of the UART Xen uses (`dtuart=`), e.g. `/pl011@9000000`.
    package var uart: String
    /// Console device name inside Linux domains, e.g. `hvc0`.
    package var linux: String
    /// Creates console facts.
    package init(uart: String, linux: String) {
        self.uart = uart
        self.linux = linux
    }
}

/// How the board boots Xen (`boot:`).
package struct BootFacts: Sendable, Hashable {
    /// Which loader starts Xen.
    package enum Loader: String, Sendable, Hashable, CaseIterable {
        /// QEMU loads Xen, the kernel and the initramfs itself (guest-loader devices).
        case qemu
        /// Das U-Boot loads the files from the boot partition with a boot script.
        case uBoot = "u-boot"
    }
    /// The loader.
    package var loader: Loader
    /// Load address of the Xen image.
    package var xen: UInt64
    /// Load address of dom0's kernel.
    package var kernel: UInt64
    /// Load address of dom0's initramfs.
    package var ramdisk: UInt64
    /// Load address of the host device tree.
    package var dtb: UInt64
    /// U-Boot only: the storage holding the boot partition, as `load` takes it
    /// (e.g. `mmc 0:1`); nil for QEMU.
    package var bootDevice: String?
    /// U-Boot only: commands run before loading (e.g. `setenv fdt_high 0xffffffffffffffff`).
    package var preboot: [String]
    /// Creates boot facts.
    package init(loader: Loader, xen: UInt64, kernel: UInt64, ramdisk: UInt64, dtb: UInt64,
                bootDevice: String? = nil, preboot: [String] = []) {
        self.loader = loader
        self.xen = xen
        self.kernel = kernel
        self.ramdisk = ramdisk
        self.dtb = dtb
        self.bootDevice = bootDevice
        self.preboot = preboot
    }
}

/// The boot medium's partition layout (`flash:`).
package struct FlashLayout: Sendable, Hashable {
    /// Partition table type.
    package enum Table: String, Sendable, Hashable, CaseIterable {
        /// GUID partition table (the default).
        case gpt
        /// MBR/DOS table (boards whose ROM or firmware needs it, e.g. Raspberry Pi).
        case mbr
    }
    /// The partition table (`partition_table:`, default `gpt`).
    package var table: Table
    /// Sector size in bytes.
    package var sectorSize: Int
    /// Partitions in disk order.
    package var partitions: [FlashPartition]
    /// Kernel modules dom0 loads to read this medium (`storage_modules:`): the
    /// driver of the controller the image is flashed to (QEMU: `virtio_mmio`,
    /// `virtio_blk`; an SD card: the board's MMC host driver). dom0's init mounts
    /// the boot partition, which carries DomD's kernel, through it. Empty when
    /// the kernel has the driver built in.
    package var storageModules: [String]
    /// Creates a layout.
    package init(table: Table, sectorSize: Int, partitions: [FlashPartition], storageModules: [String] = []) {
        self.table = table
        self.sectorSize = sectorSize
        self.partitions = partitions
        self.storageModules = storageModules
    }
}

/// One partition of the flash layout.
package struct FlashPartition: Sendable, Hashable {
    /// A partition's size.
    package enum Size: Sendable, Hashable {
        /// A fixed size.
        case fixed(ByteCount)
        /// Exactly what its contents need (`auto`); at most one partition, the last.
        case auto
    }
    /// Filesystems a partition can hold.
    package enum Filesystem: String, Sendable, Hashable, CaseIterable {
        /// FAT (boot partitions read by firmware and U-Boot).
        case vfat
        /// ext4.
        case ext4
    }
    /// Partition label.
    package var name: String
    /// Size.
    package var size: Size
    /// Filesystem.
    package var filesystem: Filesystem
    /// What goes in it: `boot` (Xen, kernel, DTB, boot script) or `control-rootfs`
    /// (dom0's root filesystem, which carries DomD's).
    package var contents: Contents
    /// Partition contents.
    package enum Contents: String, Sendable, Hashable, CaseIterable {
        /// Boot files.
        case boot
        /// The control domain's root filesystem.
        case controlRootfs = "control-rootfs"
    }
    /// Creates a partition.
    package init(name: String, size: Size, filesystem: Filesystem, contents: Contents) {
        self.name = name
        self.size = size
        self.filesystem = filesystem
        self.contents = contents
    }
}
