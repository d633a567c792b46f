// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory `flock(2)` lock on a file. The kernel drops it when the process
/// dies (including `kill -9`), so a crashed build never leaves a stale lock.
package final class FileLock: Sendable {
    /// The lock file's path.
    package let path: String
    private let descriptor: Int32

    /// Opens (creating if needed) the lock file at `path`.
    package init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw BuildEngineError.fileOperationFailed(operation: "open lock file", path: path, errno: errno)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Takes the lock exclusively, waiting for other holders (`LOCK_EX`).
    package func lockExclusive() throws { try apply(LOCK_EX, "lock exclusively") }

    /// Takes the lock shared, waiting for an exclusive holder (`LOCK_SH`).
    package func lockShared() throws { try apply(LOCK_SH, "lock shared") }

    /// Tries `LOCK_EX | LOCK_NB`; returns false if another process holds the lock.
    package func tryLockExclusive() throws -> Bool {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw BuildEngineError.fileOperationFailed(operation: "lock exclusively", path: path, errno: errno)
        }
        return true
    }

    /// Releases the lock (`LOCK_UN`).
    package func unlock() { _ = flock(descriptor, LOCK_UN) }

    private func apply(_ operation: Int32, _ name: String) throws {
        while flock(descriptor, operation) != 0 {
            if errno == EINTR { continue }
            throw BuildEngineError.fileOperationFailed(operation: name, path: path, errno: errno)
        }
    }
}
