// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The `status` of a URB response (`USBIF_STATUS_*`, negative Linux errno).
/// Linux's xen-hcd maps each to the URB status it gives back; any other value
/// becomes -ESHUTDOWN there, so the backend answers only these.
public enum UsbStatus: Int32, Equatable, Sendable, CustomStringConvertible {
    case ok = 0
    /// No device on that port or address (`USBIF_STATUS_NODEV`, -ENODEV).
    case noDevice = -19
    /// A malformed request (`USBIF_STATUS_INVAL`, -EINVAL).
    case invalid = -22
    /// The endpoint stalled (`USBIF_STATUS_STALL`, -EPIPE).
    case stall = -32
    /// A transfer error on the bus (`USBIF_STATUS_IOERROR`, -EPROTO).
    case ioError = -71
    /// The device sent more than asked (`USBIF_STATUS_BABBLE`, -EOVERFLOW).
    case babble = -75
    /// Cancelled, or the backend could not carry it out (`USBIF_STATUS_SHUTDOWN`, -ESHUTDOWN).
    case shutdown = -108

    public var description: String {
        switch self {
        case .ok: return "OK"
        case .noDevice: return "NODEV"
        case .invalid: return "INVAL"
        case .stall: return "STALL"
        case .ioError: return "IOERROR"
        case .babble: return "BABBLE"
        case .shutdown: return "SHUTDOWN"
        }
    }
}

/// A device speed as the conn ring reports it (`USBIF_SPEED_*`); `.none` is an unplug.
public enum UsbSpeed: UInt8, Equatable, Sendable, CustomStringConvertible {
    case none = 0
    case low = 1
    case full = 2
    case high = 3

    public var description: String {
        switch self {
        case .none: return "none"
        case .low: return "low"
        case .full: return "full"
        case .high: return "high"
        }
    }
}
