// SPDX-License-Identifier: Apache-2.0
import Crypto

/// Name-based UUIDs (RFC 9562 version 5, SHA-1) so disk, partition and
/// filesystem identifiers are a function of the image name only.
package struct DeterministicUUID: Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes in RFC (big-endian) order.
    package let bytes: [UInt8]

    /// Namespace of all driverdom identifiers (itself the v5 UUID of
    /// "driverdom" in the RFC 9562 URL namespace).
    package static let driverdomNamespace = DeterministicUUID(rawBytes: [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
    ]).named("driverdom")

    /// The v5 UUID of `name` in the driverdom namespace.
    package init(name: String) {
        self = Self.driverdomNamespace.named(name)
    }

    init(rawBytes: [UInt8]) {
        bytes = rawBytes
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (any case).
    package init?(string: String) {
        let hex = string.filter { $0 != "-" }
        guard hex.count == 32, string.count == 36 else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        bytes = result
    }

    /// The v5 UUID of `name` with this UUID as namespace.
    package func named(_ name: String) -> DeterministicUUID {
        var hasher = Insecure.SHA1()
        hasher.update(data: bytes)
        hasher.update(data: Array(name.utf8))
        var digest = Array(hasher.finalize().prefix(16))
        digest[6] = digest[6] & 0x0f | 0x50
        digest[8] = digest[8] & 0x3f | 0x80
        return DeterministicUUID(rawBytes: digest)
    }

    /// Lowercase canonical text form.
    package var description: String {
        let hex = bytes.map { byte -> String in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }

    /// GPT/EFI on-disk order: first three fields little-endian.
    package var guidBytes: [UInt8] {
        [bytes[3], bytes[2], bytes[1], bytes[0], bytes[5], bytes[4], bytes[7], bytes[6]] + Array(bytes[8...])
    }

    /// The low 32 bits of the UUID, used as FAT volume ID.
    package var volumeID: UInt32 {
        UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15])
    }
}
