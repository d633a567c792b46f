// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// Writes the change to the host device tree: a device-tree overlay that adds
/// `xen,passthrough` to every node passed to DomD (each device's own node and the
/// nodes it needs, such as its DMA engines; `host: shared` nodes stay dom0's), so Xen 4.17 neither gives it
/// to dom0 nor lets dom0's kernel probe it (`docs/misc/arm/passthrough.txt`).
///
/// Each node is one fragment addressed by `target-path`, which U-Boot's
/// `fdt apply` and the kernel's overlay code both resolve; compile it with
/// `dtc -@`. Devices without an IOMMU need the same property and nothing more in
/// Xen 4.17: it keeps Xen from mapping their registers into dom0 and routing their
/// interrupts to it, so xl can grant both to DomD (`iomem`, `irqs`).
package struct HostOverlayWriter: Sendable {
    /// Creates a writer.
    package init() {}

    /// The overlay source, or nil when nothing is passed through or DomD is dom0.
    package func text(for configuration: Configuration, plan: PassthroughPlan) throws(XenConfigError) -> String? {
        guard configuration.image.driverDomain.mode == .separate, !plan.isEmpty else { return nil }
        var lines = GeneratedHeader.lines(configuration: configuration, comment: "//", what:
            "Overlay for the host device tree (\(configuration.board.dtb ?? configuration.board.name)):"
            + " hands these nodes to Xen for passthrough.")
        lines += ["/dts-v1/;", "/plugin/;", "", "/ {"]
        var index = 0
        for device in plan.devices {
            let nodes = device.facts.passedNodes
            // A node inside another passed node is covered by its parent's property.
            for node in nodes where PartialDeviceTreeWriter.parent(of: node, in: nodes) == nil {
                let path = try XLSyntax.quoted(node.dtPath, field: "device-tree path of \(device.id)")
                let role = node.role.isEmpty ? "" : " (\(node.role))"
                lines += [
                    "\tfragment@\(index) {",
                    "\t\ttarget-path = \(path);",
                    "\t\t__overlay__ {",
                    "\t\t\t// board device \(device.id)\(role)" + (node.iommu ? ", behind an IOMMU" : ", no IOMMU"),
                    "\t\t\txen,passthrough;",
                    "\t\t};",
                    "\t};",
                ]
                index += 1
            }
        }
        lines.append("};")
        return lines.joined(separator: "\n") + "\n"
    }
}
