// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The one JSON form driverdom's license records and SBOMs are written in:
/// sorted keys, two-space indentation, slashes unescaped, a trailing newline;
/// equal values always give equal bytes.
package enum CanonicalJSON {
    /// The encoding of `value`.
    package static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0a)
        return data
    }
}
