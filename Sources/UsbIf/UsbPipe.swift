// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The transfer type in bits 30-31 of a pipe (`USBIF_PIPE_TYPE_*`).
public enum UsbTransferType: UInt8, Equatable, Sendable, CustomStringConvertible {
    case isochronous = 0
    case interrupt = 1
    case control = 2
    case bulk = 3

    public var description: String {
        switch self {
        case .isochronous: return "iso"
        case .interrupt: return "int"
        case .control: return "ctrl"
        case .bulk: return "bulk"
        }
    }
}

/// A request's `pipe` bit field (xen/io/usbif.h): port (bits 0-4), unlink
/// (bit 5), direction (bit 7, 1 = in), device address (bits 8-14), endpoint
/// (bits 15-18), type (bits 30-31).
public struct UsbPipe: RawRepresentable, Equatable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Builds a pipe from its fields (simulated frontends).
    public init(port: UInt8, device: UInt8, endpoint: UInt8, isIn: Bool, type: UsbTransferType, unlink: Bool = false) {
        var value = UInt32(port) & 0x1F
        if unlink { value |= 0x20 }
        if isIn { value |= 0x80 }
        value |= (UInt32(device) & 0x7F) << 8
        value |= (UInt32(endpoint) & 0x0F) << 15
        value |= UInt32(type.rawValue & 3) << 30
        rawValue = value
    }

    /// `usbif_pipeportnum`: 0 is no port (ports count from 1).
    public var port: UInt8 { UInt8(rawValue & 0x1F) }
    /// `usbif_pipeunlink`.
    public var isUnlink: Bool { rawValue & 0x20 != 0 }
    /// `usbif_pipein`: device to host.
    public var isIn: Bool { rawValue & 0x80 != 0 }
    /// `usbif_pipedevice`: the address the guest gave the device (0 before SET_ADDRESS).
    public var device: UInt8 { UInt8((rawValue >> 8) & 0x7F) }
    /// `usbif_pipeendpoint`.
    public var endpoint: UInt8 { UInt8((rawValue >> 15) & 0x0F) }
    /// `usbif_pipetype`.
    public var type: UsbTransferType { UsbTransferType(rawValue: UInt8((rawValue >> 30) & 3))! }
}
