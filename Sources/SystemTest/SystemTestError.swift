// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Why preparing or judging a QEMU session of a built image failed.
public enum SystemTestError: Error, Equatable, CustomStringConvertible {
    /// A file `driverdom build` writes is not in the output folder.
    case findBuiltFileFailed(path: String)
    /// A package the session needs is not in the image's lock.
    case findPackageFailed(name: String, lockFile: String)
    /// A file expected inside an unpacked archive or package is missing.
    case findUnpackedFileFailed(path: String, archive: String)
    /// A host tool (cpio, gzip, dpkg-deb) failed.
    case runToolFailed(command: String, status: Int32, output: String)
    /// A service table in the built image could not be read or written back.
    case editServiceTableFailed(path: String, reason: String)
    /// Cross-compiling a probe executable failed.
    case compileProbeFailed(product: String, reason: String)

    public var description: String {
        switch self {
        case let .findBuiltFileFailed(path):
            return "\(path) is missing; run `driverdom build` on the image first (an image without the disk output has no boot files)"
        case let .findPackageFailed(name, lockFile):
            let image = lockFile.hasSuffix(".lock") ? String(lockFile.dropLast(5)) + ".yaml" : "IMAGE"
            return "package \(name) is not locked in \(lockFile); refresh it with `driverdom lock \(image)`"
        case let .findUnpackedFileFailed(path, archive):
            return "\(path) is not in \(archive); rebuild the image"
        case let .runToolFailed(command, status, output):
            return "`\(command)` failed with status \(status): \(output); check that the host tool is installed"
        case let .editServiceTableFailed(path, reason):
            return "cannot edit the service table \(path): \(reason)"
        case let .compileProbeFailed(product, reason):
            return "cannot cross-compile \(product): \(reason)"
        }
    }
}
