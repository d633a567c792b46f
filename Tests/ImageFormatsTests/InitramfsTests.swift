// SPDX-License-Identifier: Apache-2.0
import Foundation
import ImageFormats
import RootfsAssembly
import Testing

@Suite("initramfs: cpio newc and gzip")
struct InitramfsTests {
    @Test("the archive has sorted entries, sequential inodes, the epoch and a trailer")
    func header() throws {
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/init", kind: .regularFile(.bytes([1, 2, 3, 4, 5])), permissions: 0o755, origin: "init"))
        try tree.add(StagedEntry(path: "/dev/console", kind: .characterDevice(major: 5, minor: 1), permissions: 0o600, origin: "base"))
        let bytes = try CPIOArchive.archive(tree, epoch: 0x1234_5678)
        let headers = parseHeaders(bytes)
        #expect(headers.map(\.name) == ["dev", "dev/console", "init", "TRAILER!!!"])
        #expect(headers.map(\.inode) == [1, 2, 3, 0])
        #expect(headers[1].mode == 0o020600 && headers[1].rdevMajor == 5 && headers[1].rdevMinor == 1)
        #expect(headers[2].size == 5 && headers[2].mtime == 0x1234_5678)
        #expect(bytes.count % 4 == 0)
    }

    @Test("cpio -t lists the tree and gzip -t accepts the compressed archive",
          .enabled(if: Tools.available("cpio", "gzip"), "needs cpio and gzip (Debian packages cpio, gzip)"))
    func externalTools() throws {
        let folder = try TemporaryFolder()
        let host = try folder.write("sndbe", Array("backend".utf8))
        let tree = try Fixtures.rootfs(hostFile: host)
        let archive = try folder.write("initramfs.cpio", CPIOArchive.archive(tree, epoch: Fixtures.epoch))
        let listing = try Tools.shell("cpio -t --quiet < \(Tools.quoted(archive))")
        #expect(listing.status == 0, "\(listing.output)")
        #expect(listing.output.split(separator: "\n").map(String.init) == tree.sortedEntries().map(\.relativePath))
        let verbose = try Tools.shell("cpio -tv --quiet < \(Tools.quoted(archive)) | grep su-helper")
        #expect(verbose.output.hasPrefix("-rwsr-xr-x"))
        let compressed = try folder.write("initramfs.cpio.gz", CPIOArchive.compressedArchive(tree, epoch: Fixtures.epoch))
        #expect(try Tools.shell("gzip -t \(Tools.quoted(compressed))").status == 0)
        #expect(try Tools.shell("gzip -dc \(Tools.quoted(compressed)) | cmp - \(Tools.quoted(archive))").status == 0)
    }

    @Test("gzip header is fixed: no name, mtime 0, OS Unix; output identical across runs")
    func gzipDeterminism() throws {
        let input = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 13) }
        let first = try Gzip.compress(input)
        #expect(Array(first.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3])
        #expect(try Gzip.compress(input) == first)
        #expect(first.count < input.count)
    }

    struct Header {
        var name: String
        var inode: UInt32
        var mode: UInt32
        var mtime: UInt32
        var size: UInt32
        var rdevMajor: UInt32
        var rdevMinor: UInt32
    }

    /// An independent newc reader used to check our writer.
    func parseHeaders(_ bytes: [UInt8]) -> [Header] {
        var result: [Header] = []
        var offset = 0
        func field(_ index: Int) -> UInt32 {
            UInt32(String(decoding: bytes[offset + 6 + 8 * index..<offset + 14 + 8 * index], as: UTF8.self), radix: 16) ?? 0
        }
        while offset + 110 <= bytes.count, String(decoding: bytes[offset..<offset + 6], as: UTF8.self) == "070701" {
            let nameSize = Int(field(11))
            let name = String(decoding: bytes[offset + 110..<offset + 110 + nameSize - 1], as: UTF8.self)
            let size = field(6)
            result.append(Header(name: name, inode: field(0), mode: field(1), mtime: field(5), size: size,
                                 rdevMajor: field(9), rdevMinor: field(10)))
            offset = (offset + 110 + nameSize + 3) & ~3
            offset = (offset + Int(size) + 3) & ~3
            if name == "TRAILER!!!" { break }
        }
        return result
    }
}
