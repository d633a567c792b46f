// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The places a locked .deb is looked for when the cache lacks it, in order: the
/// image's mirrors (by the locked pool path, whether or not today's index still
/// lists that version), Debian's snapshot archive at the dates the lock records,
/// then the extra mirrors the user names (an in-house aptly or reprepro mirror, or
/// a folder of .debs). Whatever a place serves is admitted only if its SHA256 is the
/// lock's: the lock was made from a signed index, and its hash is the trust anchor.
package struct PackageOrigins: Equatable, Sendable {
    /// Default root of Debian's snapshot archive.
    package static let defaultSnapshotRoot = "http://snapshot.debian.org/archive"
    /// Environment variable naming another snapshot root (a proxy or a local copy);
    /// `none` (or empty) turns the snapshot archive off.
    package static let snapshotVariable = "DRIVERDOM_SNAPSHOT_URL"
    /// Environment variable with extra mirrors, separated by white space; tried after
    /// the image's own `debian: extra_mirrors:`.
    package static let extraMirrorsVariable = "DRIVERDOM_EXTRA_MIRRORS"

    /// Mirror roots of the image's apt sources, e.g. `http://deb.debian.org/debian`.
    package var mirrors: [String]
    /// Root of the snapshot archive, or nil when it is not to be asked.
    package var snapshotRoot: String?
    /// Extra places: `http(s)://` or `file://` mirror roots, or absolute folder paths.
    package var extraMirrors: [String]

    package init(mirrors: [String], snapshotRoot: String? = PackageOrigins.defaultSnapshotRoot,
                extraMirrors: [String] = []) {
        var seen = Set<String>()
        self.mirrors = mirrors.map(Self.trimmed).filter { seen.insert($0).inserted }
        self.snapshotRoot = snapshotRoot.map(Self.trimmed)
        self.extraMirrors = extraMirrors.map(Self.trimmed)
    }

    /// The origins for `sources` with the environment's snapshot root and extra
    /// mirrors added after `extraMirrors`.
    package static func forSources(_ sources: [AptSource], extraMirrors: [String] = [],
                                  environment: [String: String] = ProcessInfo.processInfo.environment)
        -> PackageOrigins {
        var snapshot: String? = defaultSnapshotRoot
        if let value = environment[snapshotVariable] {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            snapshot = trimmed.isEmpty || trimmed == "none" ? nil : trimmed
        }
        let fromEnvironment = (environment[extraMirrorsVariable] ?? "")
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        return PackageOrigins(mirrors: sources.map(\.uri), snapshotRoot: snapshot,
                              extraMirrors: extraMirrors + fromEnvironment)
    }

    /// Every place to try for `package`, in order, and the tiers that could not be
    /// tried for it (with the reason), for the error message when none has it.
    package func places(for package: LockedPackage, indexes: [LockedIndex]?) -> (places: [PackagePlace], skipped: [String]) {
        var places = mirrors.map { PackagePlace(tier: .mirror, location: .remote($0 + "/" + package.filename)) }
        var skipped: [String] = []
        if let snapshotRoot {
            if let indexes, !indexes.isEmpty {
                var seen = Set<String>()
                for index in indexes {
                    guard let archive = index.archiveName else { continue }
                    for stamp in index.snapshotTimestamps {
                        let url = "\(snapshotRoot)/\(archive)/\(stamp)/\(package.filename)"
                        if seen.insert(url).inserted { places.append(PackagePlace(tier: .snapshot, location: .remote(url))) }
                    }
                }
            } else {
                skipped.append("snapshot archive: not asked, the lock records no index dates "
                    + "(locks written by `driverdom lock` do)")
            }
        } else {
            skipped.append("snapshot archive: turned off (\(Self.snapshotVariable)=none)")
        }
        if extraMirrors.isEmpty {
            skipped.append("extra mirrors: none named (image key `debian: extra_mirrors:` or \(Self.extraMirrorsVariable))")
        }
        for mirror in extraMirrors {
            if let folder = Self.localFolder(mirror) {
                let file = URL(fileURLWithPath: package.filename).lastPathComponent
                places.append(PackagePlace(tier: .extra, location: .local(folder + "/" + package.filename)))
                places.append(PackagePlace(tier: .extra, location: .local(folder + "/" + file)))
            } else {
                places.append(PackagePlace(tier: .extra, location: .remote(mirror + "/" + package.filename)))
            }
        }
        return (places, skipped)
    }

    /// The folder a local extra mirror names (`/srv/debs` or `file:///srv/debs`), or nil for a URL.
    static func localFolder(_ mirror: String) -> String? {
        if mirror.hasPrefix("/") { return mirror }
        if mirror.hasPrefix("file://") { return URL(string: mirror)?.path ?? String(mirror.dropFirst(7)) }
        return nil
    }

    private static func trimmed(_ text: String) -> String {
        var value = text.trimmingCharacters(in: .whitespaces)
        while value.count > 1 && value.hasSuffix("/") { value.removeLast() }
        return value
    }
}

/// One place a .deb may be found.
package struct PackagePlace: Equatable, Hashable, Sendable {
    /// Which kind of source the place belongs to.
    package enum Tier: String, Equatable, Hashable, Sendable {
        case mirror = "image mirror"
        case snapshot = "snapshot archive"
        case extra = "extra mirror"
    }
    /// Where the file is.
    package enum Location: Equatable, Hashable, Sendable, CustomStringConvertible {
        /// A URL curl fetches (`http`, `https`, `file`).
        case remote(String)
        /// A file on this machine.
        case local(String)

        package var description: String {
            switch self {
            case let .remote(url): url
            case let .local(path): path
            }
        }
    }
    package var tier: Tier
    package var location: Location

    package init(tier: Tier, location: Location) {
        self.tier = tier
        self.location = location
    }
}
