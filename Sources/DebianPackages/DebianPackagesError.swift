// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Every way fetching, verifying or locking target packages can fail.
package enum DebianPackagesError: Error, Equatable, CustomStringConvertible {
    /// An external command exited non-zero or could not be started.
    case commandFailed(command: [String], status: Int32, output: String)
    /// No usable `deb` source was found in the host's apt configuration.
    case noHostSources(searched: [String])
    /// A sources file could not be parsed.
    case sourcesParseFailed(file: String, line: Int, reason: String)
    /// `gpgv` rejected a Release file's signature.
    case signatureVerificationFailed(file: String, keyring: String, output: String)
    /// A signed Release file does not list an index apt downloaded.
    case indexNotInRelease(index: String, release: String)
    /// An index file's SHA256 differs from the one in its signed Release file.
    case indexChecksumMismatch(index: String, expected: String, actual: String)
    /// apt knows no package of this name for the architecture.
    case packageNotFound(name: String, architecture: String)
    /// A locked package version is not in the archive any more.
    case lockedVersionUnavailable(name: String, version: String, architecture: String)
    /// A downloaded or cached .deb does not have the locked SHA256.
    case packageChecksumMismatch(name: String, version: String, file: String, expected: String, actual: String)
    /// No place had the locked bytes of these packages; nothing was added to the cache.
    case packagesUnavailable(lockFile: String, packages: [UnavailablePackage], refresh: String)
    /// Packages are missing from the cache and the network may not be used.
    case packagesMissingOffline(missing: [String], cache: String)
    /// `apt-get update` failed while packages had to be downloaded.
    case indexUpdateFailed(sources: [String], missing: [String], output: String)
    /// The lock file could not be read or decoded.
    case lockReadFailed(file: String, reason: String)
    /// The lock file was written for a different request.
    case lockOutOfDate(file: String, reason: String)
    /// A file in the cache could not be read or written.
    case cacheIOFailed(path: String, reason: String)

    package var description: String {
        switch self {
        case let .commandFailed(command, status, output):
            return "command `\(command.joined(separator: " "))` failed with status \(status):\n\(output)"
        case let .noHostSources(searched):
            return "no enabled `deb` source in \(searched.joined(separator: ", ")); "
                + "configure a Debian mirror for apt on this host"
        case let .sourcesParseFailed(file, line, reason):
            return "\(file):\(line): cannot parse apt source: \(reason)"
        case let .signatureVerificationFailed(file, keyring, output):
            return "signature of \(file) does not verify against \(keyring); "
                + "the mirror may be tampered with or the keyring outdated "
                + "(install debian-archive-keyring):\n\(output)"
        case let .indexNotInRelease(index, release):
            return "index \(index) is not listed in the signed \(release); refusing to use it"
        case let .indexChecksumMismatch(index, expected, actual):
            return "index \(index) has SHA256 \(actual) but its signed Release says \(expected); "
                + "delete the cache's apt lists and retry"
        case let .packageNotFound(name, architecture):
            return "package \(name) is not available for \(architecture) in the configured sources; "
                + "check the name in the layer's `packages:` list (it may have been renamed)"
        case let .lockedVersionUnavailable(name, version, architecture):
            return "package \(name) \(version) (\(architecture)) was resolved but the signed indexes do not list it; "
                + "run `apt-get update` in the cache's private apt again (`driverdom lock IMAGE`)"
        case let .packageChecksumMismatch(name, version, file, expected, actual):
            return "package \(name) \(version) at \(file) has SHA256 \(actual), lock says \(expected); "
                + "the file was removed, build again to download it"
        case let .packagesUnavailable(lockFile, packages, refresh):
            var lines = ["no source has the locked bytes of \(packages.count) package(s) of \(lockFile); "
                + "nothing was added to the cache:"]
            for item in packages { lines += item.report }
            let mismatched = packages.contains { $0.attempts.contains { $0.outcome.isChecksumMismatch } }
            if mismatched {
                lines.append("A file whose SHA256 differs from the lock is refused: if the lock was edited, restore it; "
                    + "if the archive changed, refresh the lock with `\(refresh)`.")
            } else {
                lines.append("If the archive dropped these versions everywhere, refresh the lock with `\(refresh)`, "
                    + "or name a mirror that keeps them (image key `debian: extra_mirrors:` or "
                    + "\(PackageOrigins.extraMirrorsVariable)).")
            }
            return lines.joined(separator: "\n")
        case let .packagesMissingOffline(missing, cache):
            return "offline, but \(missing.count) locked package(s) are not in the cache \(cache): "
                + missing.joined(separator: ", ") + "; build once with network access"
        case let .indexUpdateFailed(sources, missing, output):
            return "cannot update package lists from \(sources.joined(separator: "; ")) to download "
                + missing.joined(separator: ", ") + "; check the network or build with a warm cache:\n\(output)"
        case let .lockReadFailed(file, reason):
            return "cannot read lock file \(file): \(reason); fix it or make it anew with `driverdom lock IMAGE`"
        case let .lockOutOfDate(file, reason):
            return "lock file \(file) does not match the image: \(reason); refresh it with `driverdom lock IMAGE`"
        case let .cacheIOFailed(path, reason):
            return "cannot access \(path) in the build cache: \(reason)"
        }
    }
}

/// What happened when one place was asked for one package.
package struct FetchAttempt: Equatable, Sendable {
    /// How it went.
    package enum Outcome: Equatable, Sendable {
        /// The place did not deliver the file (HTTP status, network error, no such file).
        case failed(String)
        /// The place delivered a file with another SHA256; it was deleted.
        case checksumMismatch(actual: String)

        var isChecksumMismatch: Bool {
            if case .checksumMismatch = self { return true }
            return false
        }
    }
    package var place: PackagePlace
    package var outcome: Outcome

    package init(place: PackagePlace, outcome: Outcome) {
        self.place = place
        self.outcome = outcome
    }
}

/// A locked package no place had, with every place asked and the tiers not asked.
package struct UnavailablePackage: Equatable, Sendable {
    package var package: LockedPackage
    package var attempts: [FetchAttempt]
    /// Tiers that could not be asked for it, with the reason.
    package var notTried: [String]

    package init(package: LockedPackage, attempts: [FetchAttempt], notTried: [String]) {
        self.package = package
        self.attempts = attempts
        self.notTried = notTried
    }

    /// The lines of the error message for this package.
    var report: [String] {
        var lines = ["- \(package.name) \(package.version) (\(package.architecture)), \(package.filename),"
            + " locked SHA256 \(package.sha256):"]
        for attempt in attempts {
            switch attempt.outcome {
            case let .failed(reason):
                lines.append("    \(attempt.place.tier.rawValue) \(attempt.place.location): \(reason)")
            case let .checksumMismatch(actual):
                lines.append("    \(attempt.place.tier.rawValue) \(attempt.place.location): has SHA256 \(actual), "
                    + "not the locked \(package.sha256) — refused")
            }
        }
        lines += notTried.map { "    \($0)" }
        return lines
    }
}
