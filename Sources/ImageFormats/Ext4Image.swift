// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly

/// Options of an ext4 image.
package struct Ext4Options: Sendable, Equatable {
    /// Volume label (at most 16 bytes).
    package var label: String
    /// Filesystem UUID; also used as directory hash seed.
    package var uuid: DeterministicUUID
    /// SOURCE_DATE_EPOCH: every inode time and the superblock times.
    package var epoch: UInt32
    /// Free space added on top of the content, in percent of the content.
    package var headroomPercent: Int
    /// Free inodes added on top of one per staged entry.
    package var extraInodes: Int
    /// Fixed image size in bytes (a partition of the board's flash layout);
    /// nil sizes the image to content plus headroom.
    package var fixedSize: UInt64?

    /// - Parameter name: image-unique name the UUID is derived from
    ///   (e.g. `qemu-virt-arm64/domd-rootfs`).
    package init(name: String, label: String, epoch: UInt32, headroomPercent: Int = 20,
                extraInodes: Int = 256, fixedSize: UInt64? = nil) {
        self.label = label
        self.uuid = DeterministicUUID(name: name + "/ext4")
        self.epoch = epoch
        self.headroomPercent = headroomPercent
        self.extraInodes = extraInodes
        self.fixedSize = fixedSize
    }
}

/// An ext4 filesystem image made by e2fsprogs' `mke2fs -d` from a staged
/// tree, reproducibly.
///
/// What makes e2fsprogs 1.47.0 (Debian 12) reproducible, learned by building
/// twice and comparing:
/// - our own `MKE2FS_CONFIG` (features, 4 KiB blocks, 256-byte inodes), so
///   the host's `/etc/mke2fs.conf` does not matter; it defines the `small` and
///   `floppy` size types, or mke2fs warns about them;
/// - `-U <uuid> -E hash_seed=<uuid>` (the checksum seed follows the UUID) and
///   `E2FSPROGS_FAKE_TIME` for the superblock times and lost+found;
/// - `-d` copies atime/mtime from the staging folder (set to the epoch) but
///   ctime from the staging file's real ctime, which cannot be set: every
///   inode's ctime is rewritten to the epoch with `debugfs sif`;
/// - `-d` copies the staging owner: uid/gid are rewritten with `debugfs sif`
///   so an unprivileged build still gives 0:0 (or the staged owner);
/// - `debugfs mknod` links the *name as given* into the current directory,
///   so device nodes are made after a `cd` into their parent; their times are
///   `time(NULL)` and rewritten too;
/// - the output file is created empty and truncated to size first, and
///   `nodiscard` keeps mke2fs from punching the whole file.
package enum Ext4Image {
    static let configuration = """
        [defaults]
        \tbase_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
        \tdefault_mntopts = acl,user_xattr
        \tenable_periodic_fsck = 0
        \tblocksize = 4096
        \tinode_size = 256
        \tinode_ratio = 16384
        [fs_types]
        \text4 = {
        \t\tfeatures = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
        \t}
        \tsmall = {
        \t\tinode_ratio = 16384
        \t}
        \tfloppy = {
        \t\tinode_ratio = 16384
        \t}

        """

    /// Writes the ext4 image of `tree` to `output` and returns its size in bytes.
    @discardableResult
    package static func write(_ tree: StagedTree, to output: String, options: Ext4Options) throws(ImageFormatsError) -> UInt64 {
        let work = try StagingDirectory.temporaryDirectory(prefix: "driverdom-ext4")
        defer { StagingDirectory.remove(work) }
        let root = work + "/root"
        try StagingDirectory.materialize(tree, at: root, epoch: options.epoch)
        let config = work + "/mke2fs.conf"
        guard FileManager.default.createFile(atPath: config, contents: Data(configuration.utf8)) else {
            throw .fileWriteFailed(path: config, errno: errno)
        }
        let inodes = tree.count + 1 + 11 + options.extraInodes
        var size: UInt64
        if let fixed = options.fixedSize { size = fixed } else {
            size = try estimatedSize(tree, inodes: inodes, headroomPercent: options.headroomPercent)
        }
        let environment = ["MKE2FS_CONFIG": config, "E2FSPROGS_FAKE_TIME": String(options.epoch)]
        let uuid = options.uuid.description
        var attempt = 0
        while true {
            try createEmptyFile(output, size: size)
            do throws(ImageFormatsError) {
                try ExternalTool.mke2fs.run([
                    "-q", "-F", "-t", "ext4", "-b", "4096", "-I", "256", "-N", String(inodes),
                    "-L", options.label, "-U", uuid, "-E", "hash_seed=\(uuid),root_owner=0:0,nodiscard",
                    "-d", root, output, String(size / 4096),
                ], environment: environment)
                break
            } catch let .toolFailed(_, _, _, text) where options.fixedSize == nil && attempt < 8
                        && (text.contains("allocate") || text.contains("space") || text.contains("full")) {
                attempt += 1
                size = roundUp(size + size / 4, to: 1 << 20)
            } catch let .toolFailed(_, _, _, text) where text.contains("allocate") || text.contains("space") {
                throw .ext4ContentDoesNotFit(path: output, triedBytes: size)
            }
        }
        let commands = work + "/debugfs.commands"
        guard FileManager.default.createFile(atPath: commands, contents: Data(fixupCommands(tree, epoch: options.epoch).utf8)) else {
            throw .fileWriteFailed(path: commands, errno: errno)
        }
        try ExternalTool.debugfs.run(["-w", "-f", commands, output], environment: environment)
        return size
    }

    /// debugfs commands that set owner, ctime and device nodes as staged.
    static func fixupCommands(_ tree: StagedTree, epoch: UInt32) -> String {
        var commands: [String] = []
        let time = "@\(epoch)"
        func set(_ path: String, _ field: String, _ value: String) {
            commands.append("sif \"\(path)\" \(field) \(value)")
        }
        set("/", "ctime", time)
        if tree.entry(at: "/lost+found") == nil { set("/lost+found", "ctime", time) }
        for entry in tree.sortedEntries() {
            switch entry.kind {
            case let .characterDevice(major, minor), let .blockDevice(major, minor):
                let type = entry.kind.fileTypeBits == 0o020000 ? "c" : "b"
                commands.append("cd \"\(StagedTree.parentPath(entry.path))\"")
                commands.append("mknod \"\(entry.path.split(separator: "/").last!)\" \(type) \(major) \(minor)")
                for field in ["atime", "mtime", "crtime"] { set(entry.path, field, time) }
            case .fifo:
                commands.append("cd \"\(StagedTree.parentPath(entry.path))\"")
                commands.append("mknod \"\(entry.path.split(separator: "/").last!)\" p")
                for field in ["atime", "mtime", "crtime"] { set(entry.path, field, time) }
            default:
                break
            }
            set(entry.path, "mode", "0" + String(entry.mode, radix: 8))
            set(entry.path, "uid", String(entry.uid))
            set(entry.path, "gid", String(entry.gid))
            set(entry.path, "ctime", time)
        }
        return commands.joined(separator: "\n") + "\n"
    }

    /// Content (4 KiB blocks per file, directory and long symlink, inode
    /// tables), plus headroom, plus room for journal and group metadata.
    static func estimatedSize(_ tree: StagedTree, inodes: Int, headroomPercent: Int) throws(ImageFormatsError) -> UInt64 {
        var bytes: UInt64 = 0
        for entry in tree.sortedEntries() {
            switch entry.kind {
            case let .regularFile(content):
                do throws(RootfsAssemblyError) { bytes += roundUp(try content.size(), to: 4096) } catch {
                    throw .stageEntryFailed(path: entry.path, underlying: error)
                }
            case .directory: bytes += 4096
            case let .symlink(target) where target.utf8.count >= 60: bytes += 4096
            default: break
            }
        }
        bytes += UInt64(inodes) * 256
        let withHeadroom = bytes + bytes * UInt64(max(0, headroomPercent)) / 100
        let journalAndMetadata: UInt64 = withHeadroom < (96 << 20) ? 6 << 20 : 20 << 20
        return roundUp(withHeadroom + journalAndMetadata, to: 1 << 20)
    }

    static func createEmptyFile(_ path: String, size: UInt64) throws(ImageFormatsError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fileWriteFailed(path: path, errno: errno) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { throw .fileWriteFailed(path: path, errno: errno) }
    }
}

func roundUp(_ value: UInt64, to alignment: UInt64) -> UInt64 {
    (value + alignment - 1) / alignment * alignment
}
