// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A file descriptor with positional reads and writes (`pread`/`pwrite`,
/// retried on EINTR and short transfers) and hole discovery
/// (`lseek(SEEK_DATA/linuxSeekHole)`). Closes itself when released.
package final class PositionalFile {
    package let path: String
    package let descriptor: Int32

    /// Opens `path` with `open(2)` flags.
    package init(path: String, flags: Int32, mode: mode_t = 0o644) throws(ImageFormatsError) {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw flags & (O_WRONLY | O_RDWR) != 0 ? .fileWriteFailed(path: path, errno: errno) : .fileReadFailed(path: path, errno: errno)
        }
        self.path = path
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    /// Size from `fstat`, or for a block device the end offset.
    package func size() throws(ImageFormatsError) -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .fileReadFailed(path: path, errno: errno) }
        if info.st_mode & S_IFMT == S_IFBLK {
            let end = lseek(descriptor, 0, SEEK_END)
            guard end >= 0 else { throw .fileReadFailed(path: path, errno: errno) }
            return UInt64(end)
        }
        return UInt64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many (fewer only at end of file).
    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(ImageFormatsError) -> Int {
        var done = 0
        while done < buffer.count {
            let result = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .fileReadFailed(path: path, errno: errno)
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// Writes all of `buffer` at `offset`.
    package func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64) throws(ImageFormatsError) {
        var done = 0
        while done < buffer.count {
            let result = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .fileWriteFailed(path: path, errno: errno)
            }
            done += result
        }
    }

    /// Writes `bytes` at `offset`.
    package func write(_ bytes: [UInt8], at offset: UInt64) throws(ImageFormatsError) {
        var failure: ImageFormatsError?
        bytes.withUnsafeBytes { raw in
            do throws(ImageFormatsError) { try write(raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Sets the file size (`ftruncate`); the new part is a hole.
    package func truncate(to size: UInt64) throws(ImageFormatsError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw .fileWriteFailed(path: path, errno: errno) }
    }

    /// `fsync`.
    package func synchronize() throws(ImageFormatsError) {
        guard fsync(descriptor) == 0 else { throw .fileWriteFailed(path: path, errno: errno) }
    }

    /// The byte ranges holding data, from `SEEK_DATA`/`SEEK_HOLE` (the whole
    /// file if the filesystem cannot tell), ascending and disjoint.
    package func dataRegions() throws(ImageFormatsError) -> [Range<UInt64>] {
        let total = try size()
        var regions: [Range<UInt64>] = []
        var position: off_t = 0
        while UInt64(position) < total {
            let data = lseek(descriptor, position, linuxSeekData)
            if data < 0 {
                if errno == ENXIO { break }
                if errno == EINVAL && regions.isEmpty { return [0..<total] }
                throw .fileReadFailed(path: path, errno: errno)
            }
            var hole = lseek(descriptor, data, linuxSeekHole)
            if hole < 0 { hole = off_t(total) }
            regions.append(UInt64(data)..<min(UInt64(hole), total))
            position = hole
        }
        return regions
    }
}

/// `SEEK_DATA` and `SEEK_HOLE` from Linux `<unistd.h>` (hidden behind
/// `_GNU_SOURCE` in Glibc's module map).
private let linuxSeekData: Int32 = 3
private let linuxSeekHole: Int32 = 4
