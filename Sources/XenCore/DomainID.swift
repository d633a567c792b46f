// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A Xen domain id (`domid_t`, 16 bits). Domain 0 is the control domain.
public struct DomainID: RawRepresentable, Hashable, Comparable, CustomStringConvertible, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    /// The control domain.
    public static let dom0 = DomainID(0)
    /// `DOMID_SELF`, used by the hypervisor interfaces for "the calling domain".
    public static let selfDomain = DomainID(0x7FF0)
    public var description: String { String(rawValue) }
    public static func < (a: DomainID, b: DomainID) -> Bool { a.rawValue < b.rawValue }
}
