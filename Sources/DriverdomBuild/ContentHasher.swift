// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// Builds a step's cache key: a SHA-256 over labelled, length-prefixed fields,
/// so that no two different field lists can hash alike ("ab"+"c" vs "a"+"bc").
public struct ContentHasher {
    private var hasher = SHA256()

    /// Starts a key for a step of kind `domain` (the kind is hashed first).
    public init(domain: String) {
        add("domain", domain)
    }

    /// Adds one labelled string field.
    public mutating func add(_ label: String, _ value: String) {
        add(label, Data(value.utf8))
    }

    /// Adds one labelled list of strings, order preserved.
    public mutating func add(_ label: String, _ values: [String]) {
        add(label, String(values.count))
        for value in values { add(label + "[]", value) }
    }

    /// Adds one labelled dictionary of strings, sorted by key.
    public mutating func add(_ label: String, _ values: [String: String]) {
        add(label, String(values.count))
        for key in values.keys.sorted() {
            add(label + ".key", key)
            add(label + ".value", values[key]!)
        }
    }

    /// Adds one labelled binary field.
    public mutating func add(_ label: String, _ value: Data) {
        for part in [Data(label.utf8), value] {
            var length = UInt64(part.count).littleEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: part)
        }
    }

    /// The key as 64 lowercase hex digits.
    public func finalize() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 of `data` as 64 lowercase hex digits.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
