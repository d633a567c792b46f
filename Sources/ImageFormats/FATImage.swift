// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly

/// Options of a FAT boot-partition image.
package struct FATOptions: Sendable, Equatable {
    /// Volume label (at most 11 characters).
    package var label: String
    /// Volume ID, derived from the image name.
    package var volumeID: UInt32
    /// SOURCE_DATE_EPOCH: the time of every directory entry.
    package var epoch: UInt32
    /// Image size in bytes (the partition size, a multiple of 1 KiB).
    package var size: UInt64

    /// - Parameter name: image-unique name the volume ID is derived from.
    package init(name: String, label: String, epoch: UInt32, size: UInt64) {
        self.label = label
        self.volumeID = DeterministicUUID(name: name + "/vfat").volumeID
        self.epoch = epoch
        self.size = size
    }
}

/// A FAT filesystem image made with dosfstools and mtools, reproducibly.
///
/// mtools 4.0.32 (Debian 12) takes its timestamps from SOURCE_DATE_EPOCH.
/// `mkfs.vfat` 4.2 does not for the volume-label directory entry (it uses the
/// wall clock), so it runs with `--invariant` (fixed 2015-03-14 label time)
/// followed by `-i`, which still sets our volume ID because options apply in
/// order. Entry order inside a
/// FAT directory is creation order, so directories are made with one `mmd`
/// in path order and files copied with one `mcopy -m` per directory in path
/// order — never `mcopy -s`, whose order follows the host's `readdir`.
package enum FATImage {
    /// Writes the FAT image of `tree` (files and directories only) to `output`.
    package static func write(_ tree: StagedTree, to output: String, options: FATOptions) throws(ImageFormatsError) {
        var directories: [String] = []
        var filesByDirectory: [(directory: String, files: [String])] = []
        for entry in tree.sortedEntries() {
            switch entry.kind {
            case .directory:
                directories.append(entry.path)
            case .regularFile:
                let parent = StagedTree.parentPath(entry.path)
                if filesByDirectory.last?.directory == parent {
                    filesByDirectory[filesByDirectory.count - 1].files.append(entry.path)
                } else {
                    filesByDirectory.append((parent, [entry.path]))
                }
            case .symlink: throw .fatUnsupportedEntry(path: entry.path, kind: "symlink")
            case .characterDevice, .blockDevice: throw .fatUnsupportedEntry(path: entry.path, kind: "device node")
            case .fifo: throw .fatUnsupportedEntry(path: entry.path, kind: "fifo")
            }
        }
        guard options.size % 1024 == 0, options.size >= 64 * 1024 else {
            throw .diskLayoutInvalid(reason: "FAT image size \(options.size) must be a multiple of 1 KiB and at least 64 KiB")
        }
        let work = try StagingDirectory.temporaryDirectory(prefix: "driverdom-vfat")
        defer { StagingDirectory.remove(work) }
        let root = work + "/root"
        try StagingDirectory.materialize(tree, at: root, epoch: options.epoch)

        let environment = ["SOURCE_DATE_EPOCH": String(options.epoch), "MTOOLS_SKIP_CHECK": "1",
                           "MTOOLSRC": "/dev/null", "HOME": work]
        if unlink(output) != 0 && errno != ENOENT { throw .fileWriteFailed(path: output, errno: errno) }
        try ExternalTool.mkfsVfat.run(["--invariant", "-C", "-i", String(format: "%08X", options.volumeID), "-n", options.label,
                                       output, String(options.size / 1024)], environment: environment)
        if !directories.isEmpty {
            try ExternalTool.mmd.run(["-i", output] + directories.map { "::" + $0 }, environment: environment)
        }
        for (directory, files) in filesByDirectory {
            let target = "::" + (directory == "/" ? "/" : directory + "/")
            try ExternalTool.mcopy.run(["-i", output, "-m", "-o"] + files.map { root + $0 } + [target],
                                       environment: environment)
        }
    }
}
