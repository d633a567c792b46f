// SPDX-License-Identifier: Apache-2.0

/// Why generating the Xen configuration of an image failed.
package enum XenConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A passed-through device's MMIO pages, mapped 1:1 into DomD as xl's `iomem`
    /// does, would land on a region Xen 4.17 reserves in every Arm guest
    /// (`xen/include/public/arch-arm.h`) or on DomD's own RAM.
    case iomemOverlapsGuestRegion(device: String, firstFrame: UInt64, pageCount: UInt64, region: String)
    /// A device does DMA, none of its DMA masters sits behind an IOMMU, and DomD
    /// (a separate domain, not mapped 1:1) would get it.
    case dmaWithoutIOMMU(device: String, masters: [String])
    /// A value would break the comma/semicolon/quote syntax of an xl.cfg spec string.
    case unrepresentableValue(field: String, value: String, forbidden: String)
    /// A board booted by U-Boot lacks a fact its boot script needs.
    case bootFactMissing(board: String, field: String)
    /// The device-tree compiler is not installed.
    case dtcNotFound(searchPath: String)
    /// `dtc` ran and failed.
    case dtcFailed(arguments: [String], status: Int32, output: String)
    /// `dtc` could not be started or its files could not be handled.
    case dtcUnavailable(reason: String)

    /// What failed, which value, and what to do.
    package var description: String {
        switch self {
        case .iomemOverlapsGuestRegion(let device, let firstFrame, let pageCount, let region):
            return "device '\(device)': MMIO pages 0x\(String(firstFrame, radix: 16))"
                + " (+0x\(String(pageCount, radix: 16)) pages) would be mapped 1:1 onto \(region)"
                + " of DomD's guest address space; xl cannot pass this device to a domain created"
                + " by xl in Xen 4.17 — drop it from the image or lower DomD's memory if the"
                + " clash is with DomD's RAM"
        case .dmaWithoutIOMMU(let device, let masters):
            return "device '\(device)' does DMA (\(masters.joined(separator: ", "))) but none of its DMA masters"
                + " sits behind an IOMMU, and the separate driver domain is not mapped 1:1 in Xen 4.17: its DMA"
                + " would miss DomD's memory; serve it from dom0 or mark the board 'domd_direct_map: true'"
        case .unrepresentableValue(let field, let value, let forbidden):
            return "\(field) '\(value)' contains \(forbidden), which xl.cfg(5) spec strings cannot"
                + " carry; rename it in the image"
        case .bootFactMissing(let board, let field):
            return "board \(board) boots with u-boot but its file gives no '\(field)', which the boot script"
                + " needs; add it to Boards/\(board).yaml"
        case .dtcNotFound(let searchPath):
            return "the device-tree compiler 'dtc' is not on PATH (\(searchPath)); install the"
                + " Debian package device-tree-compiler"
        case .dtcFailed(let arguments, let status, let output):
            return "'dtc \(arguments.joined(separator: " "))' exited with status \(status): \(output)"
        case .dtcUnavailable(let reason):
            return "cannot run dtc: \(reason)"
        }
    }
}
