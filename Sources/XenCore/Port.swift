// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// An event-channel port (`evtchn_port_t`), local to the domain that owns it.
public struct Port: RawRepresentable, Hashable, CustomStringConvertible, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}
