// SPDX-License-Identifier: Apache-2.0
import DebianPackages
import DriverdomConfig
import Foundation

/// `driverdom lock`: compares an image's lock with today's archive and, unless only
/// checking, resolves the packages again and rewrites the lock when it is behind.
///
/// The comparison is `apt list --upgradable`'s: after `apt-get update`, a lock is
/// current when every locked package is the newest version the signed indexes
/// offer (no dependency resolution needed, so `--check` is quick). A lock that is
/// behind, missing, or made for other package sets is resolved anew; a lock whose
/// packages did not change keeps its bytes (its index dates too).
package struct LockRefresh: Sendable {
    /// The lock file.
    package var lockFile: URL
    /// Whether a lock existed before.
    package var existed: Bool
    /// The existing lock was made for other package sets than the image now needs.
    package var setsChanged: Bool
    /// Package changes: with `checkOnly`, the locked packages the archive has newer
    /// versions of; after a refresh, every difference between the old and new lock.
    package var changes: [LockChange]
    /// Whether the file was (re)written.
    package var written: Bool

    /// Whether the lock is (or was) behind the archive, missing, or for other sets.
    package var isBehind: Bool { !existed || setsChanged || !changes.isEmpty }

    /// Checks `configuration`'s lock with the package cache under `cache` and, unless
    /// `checkOnly`, writes a new one when it is behind.
    package static func run(_ configuration: Configuration, cache: URL, checkOnly: Bool) throws(BuildError) -> LockRefresh {
        let packages = try TargetPackages(configuration: configuration, architecture: configuration.board.architecture,
                                          cache: cache)
        var existing: PackageLock?
        if FileManager.default.fileExists(atPath: packages.lockFile.path) {
            do { existing = try PackageLock.read(from: packages.lockFile) } catch {
                // An unreadable lock is replaced (or reported behind); say nothing more.
                existing = nil
            }
        }
        let setsChanged = existing.map { $0.sets != packages.request.sets || $0.architecture != packages.request.architecture }
            ?? false
        var refresh = LockRefresh(lockFile: packages.lockFile, existed: existing != nil, setsChanged: setsChanged,
                                  changes: [], written: false)
        if let existing, !setsChanged {
            refresh.changes = try packages.upgradable(existing)
            if refresh.changes.isEmpty || checkOnly { return refresh }
        }
        if checkOnly { return refresh }
        let resolved = try packages.resolve()
        refresh.changes = existing?.changes(to: resolved)
            ?? resolved.packages.map { .added(name: $0.name, version: $0.version, architecture: $0.architecture) }
        do { try resolved.write(to: packages.lockFile) } catch {
            throw .fetchPackagesFailed(reason: "\(error)")
        }
        refresh.written = true
        return refresh
    }
}
