// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// Builds a step's cache key: a SHA-256 over labelled, length-prefixed fields,
/// so that no two different field lists can hash alike ("ab"+"c" vs "a"+"bc").
package struct KeyHasher {
    private var hasher = SHA256()
    /// The text fields added so far, in order (label, value): a step's own inputs.
    package private(set) var fields: [(label: String, value: String)] = []

    /// Starts a key for a step of kind `domain` (the kind is hashed first).
    package init(domain: String) {
        addBinary("domain", Data(domain.utf8))
    }

    /// Adds one labelled string field.
    package mutating func add(_ label: String, _ value: String) {
        fields.append((label, value))
        add(label, Data(value.utf8))
    }

    /// Adds one labelled list of strings, order preserved.
    package mutating func add(_ label: String, _ values: [String]) {
        fields.append((label, values.joined(separator: "\u{1f}")))
        addBinary(label, Data(String(values.count).utf8))
        for value in values { addBinary(label + "[]", Data(value.utf8)) }
    }

    /// Adds one labelled dictionary of strings, sorted by key.
    package mutating func add(_ label: String, _ values: [String: String]) {
        fields.append((label, values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: "\u{1f}")))
        addBinary(label, Data(String(values.count).utf8))
        for key in values.keys.sorted() {
            addBinary(label + ".key", Data(key.utf8))
            addBinary(label + ".value", Data(values[key]!.utf8))
        }
    }

    /// Adds one labelled binary field.
    package mutating func add(_ label: String, _ value: Data) {
        fields.append((label, KeyHasher.sha256(value)))
        addBinary(label, value)
    }

    private mutating func addBinary(_ label: String, _ value: Data) {
        for part in [Data(label.utf8), value] {
            var length = UInt64(part.count).littleEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: part)
        }
    }

    /// The key as 64 lowercase hex digits.
    package func finalize() -> String {
        KeyHasher.hex(hasher.finalize())
    }

    /// The SHA-256 of `data` as 64 lowercase hex digits.
    package static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lowercase hex digits of `bytes` (`String(format:)` per byte cost a no-op build a tenth of its time).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
