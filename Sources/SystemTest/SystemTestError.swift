// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Why preparing or judging a QEMU session of a built image failed.
package enum SystemTestError: Error, Equatable, CustomStringConvertible {
    /// A file `driverdom build` writes is not in the output folder.
    case findBuiltFileFailed(path: String)
    /// A file expected inside an unpacked archive or package is missing.
    case findUnpackedFileFailed(path: String, archive: String)
    /// A host tool (cpio, gzip, dpkg-deb) failed.
    case runToolFailed(command: String, status: Int32, output: String)
    /// A service table in the built image could not be read or written back.
    case editServiceTableFailed(path: String, reason: String)
    /// A step of the session's preparation failed.
    case prepareFailed(step: String, reason: String)
    /// The session's preparation was interrupted (SIGINT, SIGTERM, SIGHUP).
    case prepareInterrupted

    package var description: String {
        switch self {
        case let .findBuiltFileFailed(path):
            return "\(path) is missing; run `driverdom build` on the image first (an image without the disk output has no boot files)"
        case let .findUnpackedFileFailed(path, archive):
            return "\(path) is not in \(archive); rebuild the image"
        case let .runToolFailed(command, status, output):
            return "`\(command)` failed with status \(status): \(output); check that the host tool is installed"
        case let .editServiceTableFailed(path, reason):
            return "cannot edit the service table \(path): \(reason)"
        case let .prepareFailed(step, reason):
            return "preparing the session failed in step \(step): \(reason)"
        case .prepareInterrupted:
            return "preparing the session was interrupted; the cache holds only finished steps"
        }
    }
}
