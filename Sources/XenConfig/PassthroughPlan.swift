// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// What Xen must hand to DomD for an image: the bound board devices that have a
/// `passthrough` block with the nodes they need, and the xl `dtdev`, `irqs` and
/// `iomem` values for them.
package struct PassthroughPlan: Sendable, Hashable {
    /// A device passed to DomD.
    package struct Device: Sendable, Hashable {
        /// The board device id.
        package var id: String
        /// Its device-tree facts.
        package var facts: Passthrough
        /// Creates a device.
        package init(id: String, facts: Passthrough) {
            self.id = id
            self.facts = facts
        }
        /// The node's name: the last component of its path (`sound@ec500000`).
        package var nodeName: String {
            String(facts.dtPath.split(separator: "/").last ?? Substring(facts.dtPath))
        }
    }

    /// Interrupt ids below 32 are SGIs and PPIs; xl's `irqs` numbers SPIs from 32.
    package static let firstSPI = 32

    /// The devices, in the image's binding order.
    package var devices: [Device]

    /// Builds the plan for `configuration`, checking that every 1:1 MMIO mapping
    /// fits DomD's guest address space (see `GuestAddressMap`).
    package init(configuration: Configuration) throws(XenConfigError) {
        devices = configuration.passthroughDevices.compactMap { device in
            device.passthrough.map { Device(id: device.id, facts: $0) }
        }
        let memory = configuration.image.driverDomain.domainMemory.bytes
        for device in devices {
            if configuration.image.driverDomain.mode == .separate, !configuration.board.domdDirectMap,
               device.facts.dmaWithoutIOMMU {
                throw .dmaWithoutIOMMU(device: device.id, masters: device.facts.dmaMasters.map(\.dtPath))
            }
            for range in IOMemRange.coalesced(device.facts.passedNodes.flatMap(\.reg)) {
                if let region = GuestAddressMap.conflict(of: range, memoryBytes: memory) {
                    throw .iomemOverlapsGuestRegion(device: device.id, firstFrame: range.firstFrame,
                                                    pageCount: range.pageCount, region: region.name)
                }
            }
        }
    }

    /// Whether there is anything to pass through.
    package var isEmpty: Bool { devices.isEmpty }

    /// Every node Xen hands to DomD, device by device (own node first).
    package var passedNodes: [DeviceNode] { devices.flatMap(\.facts.passedNodes) }

    /// Device-tree paths for xl's `dtdev`: every passed node behind an IOMMU (a
    /// device's own node or its DMA engines). Xen 4.17 refuses to assign a node
    /// that no IOMMU protects (`iommu_assign_dt_device`).
    package var dtdev: [String] { passedNodes.filter(\.iommu).map(\.dtPath) }

    /// The devices none of whose nodes is behind an IOMMU: they get `iomem` and `irqs` only.
    package var unprotected: [Device] { devices.filter { !$0.facts.passedNodes.contains(where: \.iommu) } }

    /// xl's `irqs`: every SPI + 32 of every passed node, sorted, each once (nodes may share a line).
    package var irqs: [Int] {
        Array(Set(passedNodes.flatMap(\.interrupts))).sorted().map { $0 + Self.firstSPI }
    }

    /// xl's `iomem`: the pages of every passed node's `reg` ranges, merged and sorted.
    package var iomem: [IOMemRange] { IOMemRange.coalesced(passedNodes.flatMap(\.reg)) }
}
