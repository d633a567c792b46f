// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Xenstore path conventions and strict parsing of numeric node values.
public enum XenPath {
    /// `/local/domain/<domain>`.
    public static func domain(_ domain: DomainID) -> String { "/local/domain/" + domain.description }

    /// `/local/domain/<backend>/backend/<type>`: where the toolstack creates the
    /// backend nodes of every device of `type` served by domain `backend`.
    public static func backendRoot(backend: DomainID, type: String) -> String {
        domain(backend) + "/backend/" + type
    }

    /// Joins a directory path and a node name with one `/`.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.utf8.last == UInt8(ascii: "/") ? directory + name : directory + "/" + name
    }

    /// True if `path` is `ancestor` or lies below it (compared byte by byte,
    /// as xenstored compares paths).
    public static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        if path.bytesEqual(ancestor) { return true }
        return path.bytesHavePrefix(join(ancestor, ""))
    }

    /// Parses an unsigned decimal (as xenstore nodes are written, xen/io/*.h);
    /// nil for empty text, signs, other characters, or values above `UInt32.max`.
    public static func parseUInt32(_ text: String) -> UInt32? {
        var value: UInt64 = 0
        var digits = 0
        for byte in text.utf8 {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + UInt64(byte - 48)
            digits += 1
            if value > UInt64(UInt32.max) || digits > 10 { return nil }
        }
        return digits == 0 ? nil : UInt32(value)
    }

    /// Parses an unsigned decimal into a domain id; nil if out of range.
    public static func parseDomain(_ text: String) -> DomainID? {
        guard let number = parseUInt32(text), number < 0x7FF0 else { return nil }
        return DomainID(UInt16(number))
    }

    /// The last path component.
    public static func lastComponent(_ path: String) -> String {
        var last: [UInt8] = []
        for byte in path.utf8 {
            if byte == 47 { last.removeAll(keepingCapacity: true) } else { last.append(byte) }
        }
        return String(decoding: last, as: UTF8.self)
    }

    /// The path without its last component (`/` for a top-level node).
    public static func parent(_ path: String) -> String {
        var bytes = Array(path.utf8)
        while let last = bytes.last, last != 47 { bytes.removeLast() }
        if bytes.count > 1 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
