// SPDX-License-Identifier: Apache-2.0
import Foundation

/// An exclusive `flock(2)` on a file, held while a closure runs, so two builds
/// sharing one cache do not run apt on the same private state at once.
enum FileLock {
    static func withExclusiveLock<T>(_ url: URL, _ body: () throws -> T) throws -> T {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DebianPackagesError.cacheIOFailed(path: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw DebianPackagesError.cacheIOFailed(path: url.path, reason: String(cString: strerror(errno)))
            }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
