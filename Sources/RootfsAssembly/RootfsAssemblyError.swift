// SPDX-License-Identifier: Apache-2.0

/// Errors of staged-tree construction, manifests and ELF dependency resolution.
package enum RootfsAssemblyError: Error, Equatable, CustomStringConvertible {
    case addEntryInvalidPath(path: String, reason: String)
    case addEntryConflict(path: String, existingOrigin: String, newOrigin: String)
    case addEntryParentNotDirectory(path: String, parent: String)
    case scanDirectoryFailed(path: String, errno: Int32)
    case scanUnsupportedFileType(path: String, mode: UInt32)
    case readContentFailed(path: String, errno: Int32)
    case elfParseFailed(path: String, reason: String)
    case elfLibraryNotFound(library: String, neededBy: String, searched: [String])
    case elfSymlinkEscapesSysroot(path: String, target: String)
    case elfSymlinkLoop(path: String)

    package var description: String {
        switch self {
        case let .addEntryInvalidPath(path, reason):
            return "Cannot stage '\(path)': \(reason). Use an absolute path without '.', '..', empty components, newlines or quotes."
        case let .addEntryConflict(path, existing, new):
            return "Cannot stage '\(path)' from '\(new)': '\(existing)' already staged a different entry there. Remove one of them or stage with replacing: true."
        case let .addEntryParentNotDirectory(path, parent):
            return "Cannot stage '\(path)': its parent '\(parent)' is staged as a non-directory."
        case let .scanDirectoryFailed(path, errno):
            return "Cannot read '\(path)' while scanning a directory (errno \(errno)). Check that it exists and is readable."
        case let .scanUnsupportedFileType(path, mode):
            return "Cannot stage '\(path)': unsupported file type (mode 0o\(String(mode, radix: 8))). Only files, directories, symlinks, device nodes and fifos are supported."
        case let .readContentFailed(path, errno):
            return "Cannot read file content '\(path)' (errno \(errno)). Check that the staged source still exists."
        case let .elfParseFailed(path, reason):
            return "Cannot parse ELF file '\(path)': \(reason)."
        case let .elfLibraryNotFound(library, neededBy, searched):
            return "Cannot find library '\(library)' needed by '\(neededBy)' in the sysroot; searched \(searched.joined(separator: ", ")). Add the package that ships it."
        case let .elfSymlinkEscapesSysroot(path, target):
            return "Cannot follow symlink '\(path)' -> '\(target)': it leaves the sysroot."
        case let .elfSymlinkLoop(path):
            return "Cannot resolve '\(path)': too many levels of symlinks inside the sysroot."
        }
    }
}
