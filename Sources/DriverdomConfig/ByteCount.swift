// SPDX-License-Identifier: Apache-2.0

/// A size in bytes, written in YAML as an integer (decimal or `0x` hex) or with a
/// binary suffix: `KiB`, `MiB`, `GiB`, `TiB` (also the short `K`, `M`, `G`, `T`).
package struct ByteCount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number of bytes.
    package var bytes: UInt64

    /// Creates a size of `bytes` bytes.
    package init(bytes: UInt64) { self.bytes = bytes }

    /// Size in MiB, rounded down (xl.cfg's `memory` unit).
    package var mebibytes: UInt64 { bytes >> 20 }

    private static let units: [(suffix: String, shift: UInt64)] = [
        ("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10),
        ("T", 40), ("G", 30), ("M", 20), ("K", 10),
    ]

    /// Parses `2GiB`, `256MiB`, `64M`, `4096`, `0x1000`; nil if malformed or too large.
    package init?(parsing text: String) {
        let trimmed = text.trimmingSpaces
        for unit in Self.units where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count)).trimmingSpaces
            guard let value = IntegerText.unsigned(number) else { return nil }
            let (result, overflow) = value.multipliedReportingOverflow(by: 1 << unit.shift)
            guard !overflow else { return nil }
            self.bytes = result
            return
        }
        guard let value = IntegerText.unsigned(trimmed) else { return nil }
        self.bytes = value
    }

    /// The largest exact binary unit: `2GiB`, `256MiB`, `1536KiB`, `100` (bytes).
    package var description: String {
        guard bytes != 0 else { return "0" }
        for unit in Self.units.prefix(4) where bytes % (1 << unit.shift) == 0 {
            return "\(bytes >> unit.shift)\(unit.suffix)"
        }
        return "\(bytes)"
    }

    /// Orders by byte count.
    package static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }
}

/// Integer literals as written in the configuration files: decimal or `0x` hex.
enum IntegerText {
    /// Parses a non-negative decimal or `0x`/`0X` hex integer.
    static func unsigned(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let digits = text.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { return nil }
            return UInt64(digits, radix: 16)
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(text)
    }

    /// Parses an optionally signed decimal or hex integer that fits in `Int`.
    static func signed(_ text: String) -> Int? {
        if text.hasPrefix("-") {
            guard let magnitude = unsigned(String(text.dropFirst())),
                  magnitude <= UInt64(Int.max) else { return nil }
            return -Int(magnitude)
        }
        let body = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard let value = unsigned(body), value <= UInt64(Int.max) else { return nil }
        return Int(value)
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
