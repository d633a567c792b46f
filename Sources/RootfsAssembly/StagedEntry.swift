// SPDX-License-Identifier: Apache-2.0

/// Where the bytes of a staged regular file come from.
package enum FileContent: Sendable, Hashable {
    /// A file on the build host's disk, read when an image is written.
    case file(path: String)
    /// Bytes held in memory (generated files such as `/etc` entries).
    case bytes([UInt8])
}

/// What kind of filesystem object a staged entry is.
package enum StagedEntryKind: Sendable, Hashable {
    case directory
    case regularFile(FileContent)
    case symlink(target: String)
    case characterDevice(major: UInt32, minor: UInt32)
    case blockDevice(major: UInt32, minor: UInt32)
    case fifo

    /// The `S_IFMT` bits of this kind, as stored in cpio and ext4 inodes.
    package var fileTypeBits: UInt32 {
        switch self {
        case .directory: return 0o040000
        case .regularFile: return 0o100000
        case .symlink: return 0o120000
        case .characterDevice: return 0o020000
        case .blockDevice: return 0o060000
        case .fifo: return 0o010000
        }
    }
}

/// One object of a root filesystem: path, kind, permissions, owner and the
/// package or layer it came from (for the manifest).
package struct StagedEntry: Sendable, Hashable {
    /// Absolute normalized path inside the rootfs, e.g. `/usr/bin/sndbe`.
    package var path: String
    package var kind: StagedEntryKind
    /// Permission bits including setuid/setgid/sticky (`0o7777` mask).
    package var permissions: UInt16
    package var uid: UInt32
    package var gid: UInt32
    /// Package or layer name this entry came from.
    package var origin: String

    /// Creates an entry; `path` is normalized by `StagedTree.add`.
    package init(path: String, kind: StagedEntryKind, permissions: UInt16,
                uid: UInt32 = 0, gid: UInt32 = 0, origin: String) {
        self.path = path
        self.kind = kind
        self.permissions = permissions & 0o7777
        self.uid = uid
        self.gid = gid
        self.origin = origin
    }

    /// The full `st_mode` value (file type bits and permissions).
    package var mode: UInt32 { kind.fileTypeBits | UInt32(permissions) }

    /// Path without the leading slash, as stored in cpio archives (`usr/bin/x`).
    package var relativePath: String { String(path.dropFirst()) }

    /// The target of a symlink entry, nil for any other kind.
    package var symlinkTarget: String? {
        if case let .symlink(target) = kind { return target }
        return nil
    }

    /// True for a directory entry.
    package var isDirectory: Bool {
        if case .directory = kind { return true }
        return false
    }
}
