// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Text handled as its UTF-8 bytes: compared, hashed, ordered and searched
/// byte by byte, as Xen and Linux handle xenstore paths, watch tokens, node
/// values and command-line words (xenstored compares them with `strcmp`).
///
/// `String`'s own `==`, `<`, hashing, `hasPrefix`/`hasSuffix`, `split` and
/// `Character` iteration follow Unicode (canonical equivalence, grapheme
/// clusters). In Embedded Swift any one use links the stdlib's normalization
/// and grapheme-breaking code and its Unicode tables — about 60 KB of each
/// aarch64 backend — and makes two different byte strings from a guest
/// compare equal. The device modules therefore compare, key and split text
/// through this type and the `String` helpers below; for ASCII the answers
/// are the same.
public struct ByteString: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The UTF-8 bytes.
    public var bytes: [UInt8]

    public init(_ text: String) { bytes = Array(text.utf8) }
    public init<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 { self.bytes = Array(bytes) }
    public init(stringLiteral value: String) { self.init(value) }

    /// The bytes as a `String` (invalid UTF-8 repaired with U+FFFD).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { string }
    public var isEmpty: Bool { bytes.isEmpty }

    /// Byte-wise order (`strcmp`'s order), not Unicode's.
    public static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    public func hasPrefix(_ prefix: ByteString) -> Bool { bytes.starts(with: prefix.bytes) }

    public func hasSuffix(_ suffix: ByteString) -> Bool {
        bytes.count >= suffix.bytes.count && bytes[(bytes.count - suffix.bytes.count)...].elementsEqual(suffix.bytes)
    }

    /// The pieces between `separator` bytes; empty pieces are dropped unless `keepingEmpty`.
    public func split(_ separator: UInt8, keepingEmpty: Bool = false) -> [ByteString] {
        bytes.split(separator: separator, omittingEmptySubsequences: !keepingEmpty).map { ByteString(bytes: $0) }
    }

    /// The text after the first `count` bytes.
    public func dropFirst(_ count: Int) -> ByteString { ByteString(bytes: bytes.dropFirst(count)) }
    /// The text without its last `count` bytes.
    public func dropLast(_ count: Int) -> ByteString { ByteString(bytes: bytes.dropLast(count)) }
    /// The first index of `byte`, if any.
    public func firstIndex(of byte: UInt8) -> Int? { bytes.firstIndex(of: byte) }
}

extension String {
    /// True if both texts have the same UTF-8 bytes (`==` without Unicode normalization).
    public func bytesEqual(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }
    /// `hasPrefix` on UTF-8 bytes.
    public func bytesHavePrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }
    /// `hasSuffix` on UTF-8 bytes.
    public func bytesHaveSuffix(_ suffix: String) -> Bool { ByteString(self).hasSuffix(ByteString(suffix)) }
}

extension Sequence where Element == String {
    /// True if some element has the same UTF-8 bytes as `text` (`contains` without normalization).
    public func containsBytes(_ text: String) -> Bool { contains { $0.bytesEqual(text) } }
}
