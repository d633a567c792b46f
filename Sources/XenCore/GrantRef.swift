// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A grant reference (`grant_ref_t`): the index of one entry in the granting
/// domain's grant table, naming one page it shares with another domain.
public struct GrantRef: RawRepresentable, Hashable, CustomStringConvertible, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}
