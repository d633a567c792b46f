// SPDX-License-Identifier: Apache-2.0
import Foundation
import ImageFormats
import RootfsAssembly
import Testing

@Suite("ext4 and FAT images")
struct FilesystemImageTests {
    @Test("ext4 passes e2fsck, holds owners, modes, device nodes and content, and is reproducible",
          .enabled(if: Tools.available("mke2fs", "debugfs", "e2fsck"), "needs e2fsprogs"))
    func ext4() throws {
        let folder = try TemporaryFolder()
        let host = try folder.write("sndbe", Array(repeating: 0x42, count: 10_000))
        let tree = try Fixtures.rootfs(hostFile: host)
        let options = Ext4Options(name: "test-image/domd", label: "domd", epoch: Fixtures.epoch)
        let first = folder.file("a.ext4")
        let size = try Ext4Image.write(tree, to: first, options: options)
        Thread.sleep(forTimeInterval: 1.1) // a second later: any wall-clock time would now differ
        let second = folder.file("b.ext4")
        try Ext4Image.write(tree, to: second, options: options)
        #expect(try Tools.shell("cmp \(Tools.quoted(first)) \(Tools.quoted(second))").status == 0)
        let check = try Tools.shell("e2fsck -fn \(Tools.quoted(first))")
        #expect(check.status == 0, "\(check.output)")
        #expect(size % (1 << 20) == 0)
        let superblock = try Tools.shell("dumpe2fs -h \(Tools.quoted(first)) 2>/dev/null")
        #expect(superblock.output.contains(options.uuid.description))
        let listing = try Tools.shell("debugfs -R 'ls -l /dev' \(Tools.quoted(first)) 2>/dev/null")
        #expect(listing.output.contains("20600"), "\(listing.output)")
        let data = try Tools.shell("debugfs -R 'stat /home/user/data' \(Tools.quoted(first)) 2>/dev/null")
        #expect(data.output.contains("User:  1000   Group:  1000"), "\(data.output)")
        let helper = try Tools.shell("debugfs -R 'stat /usr/bin/su-helper' \(Tools.quoted(first)) 2>/dev/null")
        #expect(helper.output.contains("Mode:  04755") && helper.output.contains("User:     0"), "\(helper.output)")
        #expect(helper.output.contains("ctime: 0x6553f100"), "\(helper.output)")
        let content = try Tools.shell("debugfs -R 'cat /etc/hostname' \(Tools.quoted(first)) 2>/dev/null")
        #expect(content.output == "domd\n")
    }

    @Test("ext4 grows when the estimate is too small and fails cleanly with a fixed size too small",
          .enabled(if: Tools.available("mke2fs", "debugfs"), "needs e2fsprogs"))
    func ext4Size() throws {
        let folder = try TemporaryFolder()
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/big", kind: .regularFile(.bytes(Array(repeating: 7, count: 12 << 20))),
                                 permissions: 0o644, origin: "x"))
        var options = Ext4Options(name: "t/big", label: "big", epoch: 1, headroomPercent: 0)
        let size = try Ext4Image.write(tree, to: folder.file("big.ext4"), options: options)
        #expect(size >= 12 << 20)
        options.fixedSize = 8 << 20
        #expect(throws: ImageFormatsError.ext4ContentDoesNotFit(path: folder.file("small.ext4"), triedBytes: 8 << 20)) {
            try Ext4Image.write(tree, to: folder.file("small.ext4"), options: options)
        }
    }

    @Test("FAT passes fsck.vfat, has the volume ID and files, and is reproducible",
          .enabled(if: Tools.available("mkfs.vfat", "mmd", "mcopy", "mtype", "fsck.vfat"), "needs dosfstools and mtools"))
    func fat() throws {
        let folder = try TemporaryFolder()
        let options = FATOptions(name: "test-image/boot", label: "BOOT", epoch: Fixtures.epoch, size: 16 << 20)
        try FATImage.write(try Fixtures.bootTree(), to: folder.file("a.vfat"), options: options)
        Thread.sleep(forTimeInterval: 1.1)
        try FATImage.write(try Fixtures.bootTree(), to: folder.file("b.vfat"), options: options)
        #expect(try Tools.shell("cmp \(folder.file("a.vfat")) \(folder.file("b.vfat"))").status == 0)
        let check = try Tools.shell("fsck.vfat -n \(folder.file("a.vfat"))")
        #expect(check.status == 0, "\(check.output)")
        let content = try Tools.shell("MTOOLS_SKIP_CHECK=1 mtype -i \(folder.file("a.vfat")) ::/boot.scr")
        #expect(content.output == "setenv bootargs\n")
        let listing = try Tools.shell("MTOOLS_SKIP_CHECK=1 mdir -i \(folder.file("a.vfat")) ::/dtbs")
        #expect(listing.output.contains("board-with-a-long-name.dtb"))
        let volumeID = String(format: "%04X-%04X", options.volumeID >> 16, options.volumeID & 0xffff)
        #expect(listing.output.contains(volumeID), "\(listing.output)")
    }

    @Test("FAT refuses symlinks and device nodes")
    func fatRefusesSpecialFiles() throws {
        let folder = try TemporaryFolder()
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/link", kind: .symlink(target: "x"), permissions: 0o777, origin: "x"))
        #expect(throws: ImageFormatsError.fatUnsupportedEntry(path: "/link", kind: "symlink")) {
            try FATImage.write(tree, to: folder.file("x.vfat"), options: FATOptions(name: "n", label: "B", epoch: 0, size: 1 << 20))
        }
    }
}

@Suite("ext4 with many entries")
struct LargeExt4Tests {
    @Test("thousands of entries (debugfs output larger than a pipe buffer) build and check",
          .enabled(if: Tools.available("mke2fs", "debugfs", "e2fsck"), "needs e2fsprogs"))
    func manyEntries() throws {
        let folder = try TemporaryFolder()
        var tree = StagedTree()
        for directory in 0..<40 {
            for file in 0..<60 {
                try tree.add(StagedEntry(path: "/lib/modules/d\(directory)/m\(file).ko",
                                         kind: .regularFile(.bytes(Array("\(directory)/\(file)".utf8))),
                                         permissions: 0o644, origin: "kernel"))
            }
        }
        let image = folder.file("many.ext4")
        try Ext4Image.write(tree, to: image, options: Ext4Options(name: "t/many", label: "many", epoch: Fixtures.epoch))
        let check = try Tools.shell("e2fsck -fn \(Tools.quoted(image))")
        #expect(check.status == 0, "\(check.output)")
        let content = try Tools.shell("debugfs -R 'cat /lib/modules/d39/m59.ko' \(Tools.quoted(image)) 2>/dev/null")
        #expect(content.output == "39/59")
    }
}
