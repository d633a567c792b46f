// SPDX-License-Identifier: Apache-2.0
import RootfsAssembly

/// A cpio archive in the `newc` (SVR4, magic `070701`) format the Linux kernel
/// unpacks as initramfs, written by our code.
///
/// Deterministic: entries in `StagedTree` path order, inode numbers 1, 2, …
/// in that order, every mtime = `epoch`, owners as staged (0:0 by default),
/// `TRAILER!!!` last, headers and data padded to 4 bytes.
package enum CPIOArchive {
    /// The archive bytes of `tree` with all timestamps set to `epoch`
    /// (SOURCE_DATE_EPOCH).
    package static func archive(_ tree: StagedTree, epoch: UInt32) throws(ImageFormatsError) -> [UInt8] {
        var output: [UInt8] = []
        var inode: UInt32 = 0
        for entry in tree.sortedEntries() {
            inode += 1
            var data: [UInt8] = []
            var rdev: (UInt32, UInt32) = (0, 0)
            switch entry.kind {
            case let .regularFile(content):
                do throws(RootfsAssemblyError) { data = try content.readAll() } catch { throw .stageEntryFailed(path: entry.path, underlying: error) }
                guard data.count < Int(UInt32.max) else { throw .cpioEntryTooLarge(path: entry.path, size: UInt64(data.count)) }
            case let .symlink(target):
                data = Array(target.utf8)
            case let .characterDevice(major, minor), let .blockDevice(major, minor):
                rdev = (major, minor)
            case .directory, .fifo:
                break
            }
            appendHeader(to: &output, name: entry.relativePath, inode: inode, mode: entry.mode, uid: entry.uid,
                         gid: entry.gid, links: entry.isDirectory ? 2 : 1, mtime: epoch,
                         size: UInt32(data.count), rdev: rdev)
            output += data
            pad(&output)
        }
        appendHeader(to: &output, name: "TRAILER!!!", inode: 0, mode: 0, uid: 0, gid: 0, links: 1, mtime: 0,
                     size: 0, rdev: (0, 0))
        return output
    }

    /// The gzip-compressed archive (`initramfs.cpio.gz`), byte-identical across runs.
    package static func compressedArchive(_ tree: StagedTree, epoch: UInt32) throws(ImageFormatsError) -> [UInt8] {
        try Gzip.compress(archive(tree, epoch: epoch))
    }

    private static func appendHeader(to output: inout [UInt8], name: String, inode: UInt32, mode: UInt32,
                                     uid: UInt32, gid: UInt32, links: UInt32, mtime: UInt32, size: UInt32,
                                     rdev: (UInt32, UInt32)) {
        let nameBytes = Array(name.utf8)
        output += Array("070701".utf8)
        let fields: [UInt32] = [inode, mode, uid, gid, links, mtime, size, 0, 0, rdev.0, rdev.1,
                                UInt32(nameBytes.count + 1), 0]
        for field in fields {
            output += hex8(field)
        }
        output += nameBytes
        output.append(0)
        pad(&output)
    }

    private static func hex8(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return (0..<8).reversed().map { digits[Int(value >> (4 * UInt32($0)) & 0xf)] }
    }

    private static func pad(_ output: inout [UInt8]) {
        while output.count % 4 != 0 { output.append(0) }
    }
}
