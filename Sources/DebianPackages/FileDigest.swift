// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// SHA256 of files and bytes, as lower-case hex.
package enum FileDigest {
    /// SHA256 of `data`.
    package static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// SHA256 of the file at `url`, read in 1 MiB chunks.
    package static func sha256(of url: URL) throws -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw DebianPackagesError.cacheIOFailed(path: url.path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw DebianPackagesError.cacheIOFailed(path: url.path, reason: "\(error)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
