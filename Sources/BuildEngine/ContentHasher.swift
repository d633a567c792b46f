// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 helpers: streaming file hashes and hex encoding.
package enum ContentHasher {
    /// Lower-case hex of a digest or any byte sequence.
    package static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 (hex) of some bytes.
    package static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// SHA-256 (hex) of a file's contents, read in 1 MiB chunks.
    /// Throws the errno of the failed `open`/`read`.
    package static func sha256(ofFile path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BuildEngineError.fileOperationFailed(operation: "open for hashing", path: path, errno: errno) }
        defer { close(fd) }
        var hasher = SHA256()
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw BuildEngineError.fileOperationFailed(operation: "read for hashing", path: path, errno: errno)
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hex(hasher.finalize())
    }
}
