// SPDX-License-Identifier: Apache-2.0
import CZlib

/// gzip (RFC 1952) written by our code around zlib's raw deflate, with a fixed
/// header: no file name, MTIME 0, XFL 2 (maximum compression), OS 3 (Unix).
/// The same input always gives the same bytes.
package enum Gzip {
    /// Compresses `input` at zlib level 9.
    package static func compress(_ input: [UInt8]) throws(ImageFormatsError) -> [UInt8] {
        guard input.count < Int(UInt32.max) else { throw .gzipCompressFailed(zlibStatus: Z_BUF_ERROR) }
        var output: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03]
        var stream = z_stream()
        var status = czlib_deflate_init_raw(&stream, 9)
        guard status == Z_OK else { throw .gzipCompressFailed(zlibStatus: status) }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count)))
        var compressed = [UInt8](repeating: 0, count: bound + 64)
        var produced = 0
        input.withUnsafeBufferPointer { source in
            compressed.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                status = deflate(&stream, Z_FINISH)
                produced = target.count - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else { throw .gzipCompressFailed(zlibStatus: status) }
        output += compressed[..<produced]
        let crc = CRC32.checksum(input)
        let size = UInt32(truncatingIfNeeded: input.count)
        for value in [crc, size] {
            output += [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
        }
        return output
    }
}
