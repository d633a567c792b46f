// SPDX-License-Identifier: Apache-2.0

/// A Debian package version (`[epoch:]upstream[-revision]`), ordered as dpkg orders
/// them (deb-version(7)): epochs numerically, then upstream and revision compared
/// in alternating non-digit and digit runs, where `~` sorts before everything
/// (even the end of the string) and letters sort before other characters.
package struct DebianVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    package let epoch: Int
    package let upstream: String
    package let revision: String
    package let description: String

    package init(_ text: String) {
        description = text
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":"), let value = Int(rest[..<colon]) {
            epoch = value
            rest = rest[rest.index(after: colon)...]
        } else {
            epoch = 0
        }
        if let dash = rest.lastIndex(of: "-") {
            upstream = String(rest[..<dash])
            revision = String(rest[rest.index(after: dash)...])
        } else {
            upstream = String(rest)
            revision = ""
        }
    }

    package static func < (lhs: DebianVersion, rhs: DebianVersion) -> Bool {
        if lhs.epoch != rhs.epoch { return lhs.epoch < rhs.epoch }
        let upstream = compare(lhs.upstream, rhs.upstream)
        if upstream != 0 { return upstream < 0 }
        return compare(lhs.revision, rhs.revision) < 0
    }

    package static func == (lhs: DebianVersion, rhs: DebianVersion) -> Bool {
        lhs.epoch == rhs.epoch && compare(lhs.upstream, rhs.upstream) == 0 && compare(lhs.revision, rhs.revision) == 0
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        hasher.combine(upstream)
        hasher.combine(revision)
    }

    /// dpkg's `verrevcmp`: negative, zero or positive.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0, j = 0
        while i < x.count || j < y.count {
            var firstDifference = 0
            while (i < x.count && !isDigit(x[i])) || (j < y.count && !isDigit(y[j])) {
                let ac = i < x.count ? order(x[i]) : 0
                let bc = j < y.count ? order(y[j]) : 0
                if ac != bc { return ac - bc }
                i += 1
                j += 1
            }
            while i < x.count && x[i] == UInt8(ascii: "0") { i += 1 }
            while j < y.count && y[j] == UInt8(ascii: "0") { j += 1 }
            while i < x.count && isDigit(x[i]) && j < y.count && isDigit(y[j]) {
                if firstDifference == 0 { firstDifference = Int(x[i]) - Int(y[j]) }
                i += 1
                j += 1
            }
            if i < x.count && isDigit(x[i]) { return 1 }
            if j < y.count && isDigit(y[j]) { return -1 }
            if firstDifference != 0 { return firstDifference }
        }
        return 0
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// dpkg's `order`: `~` first, digits (never reached here) 0, letters by code, others after letters.
    private static func order(_ c: UInt8) -> Int {
        if isDigit(c) { return 0 }
        if (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) {
            return Int(c)
        }
        if c == UInt8(ascii: "~") { return -1 }
        return Int(c) + 256
    }
}
