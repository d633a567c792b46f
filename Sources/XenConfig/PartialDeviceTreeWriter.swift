// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// Writes DomD's partial device tree (xl.cfg's `device_tree`): libxl copies the
/// `/passthrough` node into DomD's device tree (Xen `docs/misc/arm/passthrough.txt`).
///
/// The root uses 2 address and 2 size cells, as libxl 4.17 requires
/// (`GUEST_ROOT_ADDRESS_CELLS`, `GUEST_ROOT_SIZE_CELLS`); interrupts name the
/// guest's virtual GIC by the phandle Xen gives it (`GUEST_PHANDLE_GIC`, 65000) and
/// are written as level-high SPIs (`<0 SPI 4>`), the trigger of every interrupt in
/// the boards' upstream device trees. Every node a device needs is written (its
/// own, its DMA engines, shared copies such as a fixed clock), each with its
/// label and the board's further `properties` for DomD.
package struct PartialDeviceTreeWriter: Sendable {
    /// The phandle of the virtual GIC in every xl-created Arm guest.
    package static let guestGICPhandle: UInt32 = 65000
    /// The GIC binding's cell for "shared peripheral interrupt".
    package static let spiType: UInt32 = 0
    /// `IRQ_TYPE_LEVEL_HIGH`.
    package static let levelHigh: UInt32 = 4

    /// Creates a writer.
    package init() {}

    /// The DTS text, or nil when nothing is passed through or DomD is dom0.
    package func text(for configuration: Configuration, plan: PassthroughPlan) throws(XenConfigError) -> String? {
        guard configuration.image.driverDomain.mode == .separate, !plan.isEmpty else { return nil }
        var lines = GeneratedHeader.lines(configuration: configuration, comment: "//", what:
            "Partial device tree of \(configuration.image.driverDomain.name): xl copies /passthrough into its device tree.")
        lines += ["/dts-v1/;", "", "/ {", "\t#address-cells = <2>;", "\t#size-cells = <2>;", "",
                  "\tpassthrough {", "\t\tcompatible = \"simple-bus\";", "\t\tranges;",
                  "\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;"]
        for device in plan.devices {
            let nodes = device.facts.allNodes
            for node in nodes where Self.parent(of: node, in: nodes) == nil {
                lines.append("")
                lines += try self.node(node, of: device, among: nodes, depth: 2)
            }
        }
        lines += ["\t};", "};"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The node among `nodes` whose path is the parent of `node`'s (a gpio-keys button under gpio-keys).
    static func parent(of node: DeviceNode, in nodes: [DeviceNode]) -> DeviceNode? {
        guard let slash = node.dtPath.lastIndex(of: "/"), slash != node.dtPath.startIndex else { return nil }
        let parentPath = String(node.dtPath[..<slash])
        return nodes.first { $0.dtPath == parentPath }
    }

    /// The node at `depth` tabs, with the nodes of the device below it in the host tree nested inside.
    private func node(_ node: DeviceNode, of device: PassthroughPlan.Device, among nodes: [DeviceNode],
                      depth: Int) throws(XenConfigError) -> [String] {
        let indent = String(repeating: "\t", count: depth)
        let role = node.role.isEmpty ? "" : " (\(node.role))"
        let shared = node.host == .shared ? ", a copy: dom0 keeps the host node" : ""
        var lines = ["\(indent)// board device \(device.id)\(role), host node \(node.dtPath)\(shared)",
                     indent + (node.label.map { "\($0): " } ?? "") + "\(node.nodeName) {"]
        if let compatible = node.compatible {
            lines.append("\(indent)\tcompatible = \(try XLSyntax.quoted(compatible, field: "compatible of \(device.id)"));")
        }
        if !node.reg.isEmpty {
            let reg = node.reg.map { range in
                "<" + (Self.cells(range.address) + Self.cells(range.size)).map(Self.hex).joined(separator: " ") + ">"
            }
            lines.append("\(indent)\treg = \(reg.joined(separator: ", "));")
        }
        if !node.interrupts.isEmpty {
            let interrupts = node.interrupts.map { "<\(Self.spiType) \($0) \(Self.levelHigh)>" }
            lines.append("\(indent)\tinterrupts = \(interrupts.joined(separator: ", "));")
            lines.append("\(indent)\tinterrupt-parent = <\(Self.hex(Self.guestGICPhandle))>;")
        }
        lines += node.properties.map { "\(indent)\t\($0);" }
        for child in nodes where Self.parent(of: child, in: nodes) == node {
            lines.append("")
            lines += try self.node(child, of: device, among: nodes, depth: depth + 1)
        }
        lines.append("\(indent)};")
        return lines
    }

    /// A 64-bit value as two 32-bit cells, high first.
    static func cells(_ value: UInt64) -> [UInt32] {
        [UInt32(truncatingIfNeeded: value >> 32), UInt32(truncatingIfNeeded: value)]
    }

    static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
