// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// Writes DomD's partial device tree (xl.cfg's `device_tree`): libxl copies the
/// `/passthrough` node into DomD's device tree (Xen `docs/misc/arm/passthrough.txt`).
///
/// The root uses 2 address and 2 size cells, as libxl 4.17 requires
/// (`GUEST_ROOT_ADDRESS_CELLS`, `GUEST_ROOT_SIZE_CELLS`); interrupts name the
/// guest's virtual GIC by the phandle Xen gives it (`GUEST_PHANDLE_GIC`, 65000) and
/// are written as level-high SPIs (`<0 SPI 4>`), the trigger of every interrupt in
/// the boards' upstream device trees.
public struct PartialDeviceTreeWriter: Sendable {
    /// The phandle of the virtual GIC in every xl-created Arm guest.
    public static let guestGICPhandle: UInt32 = 65000
    /// The GIC binding's cell for "shared peripheral interrupt".
    public static let spiType: UInt32 = 0
    /// `IRQ_TYPE_LEVEL_HIGH`.
    public static let levelHigh: UInt32 = 4

    /// Creates a writer.
    public init() {}

    /// The DTS text, or nil when nothing is passed through or DomD is dom0.
    public func text(for configuration: Configuration, plan: PassthroughPlan) throws(XenConfigError) -> String? {
        guard configuration.image.driverDomain.mode == .separate, !plan.isEmpty else { return nil }
        var lines = GeneratedHeader.lines(configuration: configuration, comment: "//", what:
            "Partial device tree of \(configuration.image.driverDomain.name): xl copies /passthrough into its device tree.")
        lines += ["/dts-v1/;", "", "/ {", "\t#address-cells = <2>;", "\t#size-cells = <2>;", "",
                  "\tpassthrough {", "\t\tcompatible = \"simple-bus\";", "\t\tranges;",
                  "\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;"]
        for device in plan.devices {
            lines.append("")
            lines += try node(for: device)
        }
        lines += ["\t};", "};"]
        return lines.joined(separator: "\n") + "\n"
    }

    private func node(for device: PassthroughPlan.Device) throws(XenConfigError) -> [String] {
        let facts = device.facts
        var lines = ["\t\t// board device \(device.id), host node \(facts.dtPath)", "\t\t\(device.nodeName) {"]
        if let compatible = facts.compatible {
            lines.append("\t\t\tcompatible = \(try XLSyntax.quoted(compatible, field: "compatible of \(device.id)"));")
        }
        let reg = facts.reg.map { range in
            "<" + (Self.cells(range.address) + Self.cells(range.size)).map(Self.hex).joined(separator: " ") + ">"
        }
        lines.append("\t\t\treg = \(reg.joined(separator: ", "));")
        if !facts.interrupts.isEmpty {
            let interrupts = facts.interrupts.map { "<\(Self.spiType) \($0) \(Self.levelHigh)>" }
            lines.append("\t\t\tinterrupts = \(interrupts.joined(separator: ", "));")
            lines.append("\t\t\tinterrupt-parent = <\(Self.hex(Self.guestGICPhandle))>;")
        }
        lines.append("\t\t};")
        return lines
    }

    /// A 64-bit value as two 32-bit cells, high first.
    static func cells(_ value: UInt64) -> [UInt32] {
        [UInt32(truncatingIfNeeded: value >> 32), UInt32(truncatingIfNeeded: value)]
    }

    static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
