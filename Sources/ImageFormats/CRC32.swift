// SPDX-License-Identifier: Apache-2.0
import CZlib

/// IEEE 802.3 CRC-32 (the one GPT and gzip use), computed by zlib.
package enum CRC32 {
    /// CRC-32 of `bytes`, continuing from `initial` (0 to start).
    package static func checksum(_ bytes: [UInt8], initial: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { raw -> UInt32 in
            var crc = UInt(initial)
            var base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var remaining = raw.count
            while remaining > 0, let pointer = base {
                let chunk = min(remaining, Int(UInt32.max))
                crc = crc32(crc, pointer, UInt32(chunk))
                base = pointer + chunk
                remaining -= chunk
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}
