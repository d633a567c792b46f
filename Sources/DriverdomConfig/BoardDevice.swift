// SPDX-License-Identifier: Apache-2.0

/// Device classes a board device has and a layer binds.
package enum DeviceClass: String, Sendable, Hashable, CaseIterable {
    /// Audio (ALSA inside DomD).
    case sound
    /// Display (DRM/KMS inside DomD).
    case display
    /// Keyboards, pointers, touch (evdev inside DomD).
    case input
    /// USB host controllers (libusb inside DomD).
    case usb

    /// The keys of a board device's `domd:` for this class, in the order the board writes them.
    package var factNames: [String] {
        switch self {
        case .sound: return ["alsa_card", "alsa_pcms"]
        case .display: return ["drm_card", "connectors"]
        case .input: return ["input_device"]
        case .usb: return ["usb_controller"]
        }
    }
}

/// A device of the board (`devices:` item).
package struct BoardDevice: Sendable, Hashable {
    /// Unique id within the board, referenced by images.
    package var id: String
    /// Device class.
    package var deviceClass: DeviceClass
    /// One line for listings.
    package var description: String
    /// How the device reaches DomD: passed through, or created by DomD's kernel.
    package var source: Source
    /// What appears for it inside DomD.
    package var domd: DomDFacts
    /// Modules of `provided_by` that Debian's kernel does not build, built out of
    /// tree from linux-source against the image's kernel (`provided_by.build`).
    package var moduleBuilds: [ModuleBuild] = []
    /// Where the device's mapping starts in the board file.
    package var location: SourceLocation

    /// How a device reaches DomD.
    package enum Source: Sendable, Hashable {
        /// A real SoC device handed to DomD by Xen (`passthrough:`).
        case passthrough(Passthrough)
        /// A virtual device DomD's kernel creates by loading modules (`provided_by:`).
        case providedBy(modules: [String])
    }

    /// Creates a device.
    package init(id: String, deviceClass: DeviceClass, description: String, source: Source,
                domd: DomDFacts, location: SourceLocation) {
        self.id = id
        self.deviceClass = deviceClass
        self.description = description
        self.source = source
        self.domd = domd
        self.location = location
    }

    /// The passthrough facts, or nil for a virtual device.
    package var passthrough: Passthrough? {
        if case .passthrough(let facts) = source { return facts }
        return nil
    }

    /// Kernel modules DomD loads for a virtual device (empty for passthrough).
    package var providingModules: [String] {
        if case .providedBy(let modules) = source { return modules }
        return []
    }

    /// Kernel modules DomD loads for the device: a virtual device's `provided_by`
    /// modules, or the drivers a passed-through device names (`passthrough.modules`).
    package var domdModules: [String] {
        switch source {
        case .providedBy(let modules): return modules
        case .passthrough(let facts): return facts.modules
        }
    }
}

/// One kernel module built out of tree from Debian's linux-source with the
/// image kernel's headers (`provided_by.build` items).
package struct ModuleBuild: Sendable, Hashable {
    /// Module name as `modprobe` knows it (`vkms`).
    package var module: String
    /// Source folder inside the kernel tree, whose Kbuild makefile builds it (`drivers/gpu/drm/vkms`).
    package var source: String
    /// Kconfig symbols set to `m` for the build (`CONFIG_DRM_VKMS`).
    package var config: [String]

    /// Creates a build.
    package init(module: String, source: String, config: [String]) {
        self.module = module
        self.source = source
        self.config = config
    }
}

/// Device-tree facts of a passed-through device (`passthrough:`), from the
/// upstream Linux device tree of the SoC: its own node, and the other nodes it
/// needs (`nodes:` — its DMA controllers, scan-out engines, a GPIO consumer).
package struct Passthrough: Sendable, Hashable {
    /// Full path of the node in the host device tree, e.g. `/soc/sound@ec500000`.
    package var dtPath: String
    /// The node's `compatible` string, copied into DomD's partial device tree.
    package var compatible: String?
    /// MMIO ranges (`reg`), page-rounded by the Xen config generator.
    package var reg: [RegRange]
    /// GIC SPI numbers (xl's `irqs` takes SPI + 32).
    package var interrupts: [Int]
    /// Whether the node has an `iommus` property (then `dtdev` is required).
    package var iommu: Bool
    /// The IOMMU node its `iommus` names (`/soc/iommu@ec670000`), when the board says.
    package var iommuNode: String?
    /// Whether the node itself masters DMA (reads or writes memory).
    package var dma: Bool = false
    /// Label of the node in DomD's partial device tree, for references (`&gpio`).
    package var label: String?
    /// Further properties for DomD's partial device tree, each as DTS text
    /// without the `;` (`gpio-controller`, `#gpio-cells = <2>`).
    package var properties: [String] = []
    /// The other nodes the device needs, in the board file's order.
    package var nodes: [DeviceNode] = []
    /// Kernel modules DomD loads to drive the device (`modules:`), e.g. `gpio-keys`.
    package var modules: [String] = []

    /// Creates passthrough facts.
    package init(dtPath: String, compatible: String?, reg: [RegRange], interrupts: [Int], iommu: Bool) {
        self.dtPath = dtPath
        self.compatible = compatible
        self.reg = reg
        self.interrupts = interrupts
        self.iommu = iommu
    }

    /// The device's own node as a ``DeviceNode``.
    package var ownNode: DeviceNode {
        var node = DeviceNode(dtPath: dtPath, compatible: compatible, reg: reg, interrupts: interrupts, iommu: iommu)
        node.iommuNode = iommuNode
        node.dma = dma
        node.label = label
        node.properties = properties
        return node
    }

    /// Its own node, then `nodes`.
    package var allNodes: [DeviceNode] { [ownNode] + nodes }

    /// The nodes Xen hands to DomD (hidden from dom0): every node but the shared copies.
    package var passedNodes: [DeviceNode] { allNodes.filter { $0.host == .passthrough } }

    /// The nodes that master DMA.
    package var dmaMasters: [DeviceNode] { allNodes.filter(\.dma) }

    /// True when the device does DMA and none of its DMA masters sits behind an
    /// IOMMU: its DMA reaches a domain's memory only when that domain is mapped 1:1.
    package var dmaWithoutIOMMU: Bool {
        !dmaMasters.isEmpty && !dmaMasters.contains(where: \.iommu)
    }
}

/// One device-tree node a passed-through device needs besides its own
/// (`passthrough.nodes` items), with its upstream facts.
package struct DeviceNode: Sendable, Hashable {
    /// How the host keeps the node.
    package enum HostUse: String, Sendable, Hashable, CaseIterable {
        /// Handed to DomD: `xen,passthrough` in the host tree, `iomem`/`irqs`/`dtdev` for DomD.
        case passthrough
        /// Left to dom0; DomD's partial tree gets a copy (a fixed clock both use).
        case shared
    }

    /// Full path in the host device tree.
    package var dtPath: String
    /// Its `compatible` string.
    package var compatible: String?
    /// MMIO ranges (may be empty: `gpio-keys`, a fixed clock).
    package var reg: [RegRange]
    /// GIC SPI numbers.
    package var interrupts: [Int]
    /// Whether the node has an `iommus` property.
    package var iommu: Bool
    /// The IOMMU node its `iommus` names, when the board says.
    package var iommuNode: String?
    /// Whether the node masters DMA.
    package var dma: Bool = false
    /// What the device uses it for (`role:`), one line.
    package var role: String = ""
    /// Label in DomD's partial device tree.
    package var label: String?
    /// Further properties for DomD's partial device tree (DTS text without `;`).
    package var properties: [String] = []
    /// How the host keeps it (`host:`, default passthrough).
    package var host: HostUse = .passthrough

    /// Creates a node.
    package init(dtPath: String, compatible: String?, reg: [RegRange], interrupts: [Int], iommu: Bool) {
        self.dtPath = dtPath
        self.compatible = compatible
        self.reg = reg
        self.interrupts = interrupts
        self.iommu = iommu
    }

    /// The node's name: the last component of its path (`dma-controller@ec700000`).
    package var nodeName: String {
        String(dtPath.split(separator: "/").last ?? Substring(dtPath))
    }
}

/// One `reg` range: `[address, size]`.
package struct RegRange: Sendable, Hashable, CustomStringConvertible {
    /// Physical start address.
    package var address: UInt64
    /// Length in bytes (greater than zero).
    package var size: UInt64
    /// Creates a range.
    package init(address: UInt64, size: UInt64) {
        self.address = address
        self.size = size
    }
    /// One past the last byte (saturating).
    package var end: UInt64 { address.addingReportingOverflow(size).overflow ? .max : address + size }
    /// Whether the two ranges share a byte.
    package func overlaps(_ other: RegRange) -> Bool { address < other.end && other.address < end }
    /// `[0xec500000, 0x1000]`.
    package var description: String {
        "[0x\(String(address, radix: 16)), 0x\(String(size, radix: 16))]"
    }
}

/// What DomD's kernel shows for a device (`domd:`); which keys exist depends on the class.
package enum DomDFacts: Sendable, Hashable {
    /// `alsa_card` (card id) and `alsa_pcms` (PCM names such as `hw:Loopback,0,0`).
    case sound(alsaCard: String, alsaPCMs: [String])
    /// `drm_card` (device node) and `connectors` (DRM connector names).
    case display(drmCard: String, connectors: [String])
    /// `input_device` (evdev node path).
    case input(inputDevice: String)
    /// `usb_controller` (host controller device name as sysfs shows it).
    case usb(usbController: String)

    /// The class these facts belong to.
    package var deviceClass: DeviceClass {
        switch self {
        case .sound: return .sound
        case .display: return .display
        case .input: return .input
        case .usb: return .usb
        }
    }

    /// The values of the fact named `name` (one for a scalar, each item for a list), empty for an unknown name.
    package func values(of name: String) -> [String] {
        switch (self, name) {
        case let (.sound(card, _), "alsa_card"): return [card]
        case let (.sound(_, pcms), "alsa_pcms"): return pcms
        case let (.display(card, _), "drm_card"): return [card]
        case let (.display(_, connectors), "connectors"): return connectors
        case let (.input(device), "input_device"): return [device]
        case let (.usb(controller), "usb_controller"): return [controller]
        default: return []
        }
    }
}
