// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The xenbus device state (`enum xenbus_state`, xen/io/xenbus.h), as written to
/// the `state` node of each end of a device.
public enum XenbusState: UInt32, CustomStringConvertible, Sendable {
    case unknown = 0
    case initialising = 1
    /// Backend: features published, waiting for the frontend's ring details.
    case initWait = 2
    /// Frontend: ring details published.
    case initialised = 3
    case connected = 4
    /// The device is being closed, the other end should close too.
    case closing = 5
    case closed = 6
    case reconfiguring = 7
    case reconfigured = 8

    /// Parses the decimal text of a `state` node; nil if it is not a valid state.
    public init?(node text: String) {
        guard let number = XenPath.parseUInt32(text), let state = XenbusState(rawValue: number) else { return nil }
        self = state
    }

    /// The decimal text written to a `state` node.
    public var nodeValue: String { String(rawValue) }

    public var description: String {
        switch self {
        case .unknown: return "Unknown"
        case .initialising: return "Initialising"
        case .initWait: return "InitWait"
        case .initialised: return "Initialised"
        case .connected: return "Connected"
        case .closing: return "Closing"
        case .closed: return "Closed"
        case .reconfiguring: return "Reconfiguring"
        case .reconfigured: return "Reconfigured"
        }
    }
}
