// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One signed index a lock was resolved from: the mirror, the suite and the `Date:`
/// of its Release file. Debian's snapshot archive keeps every published state of
/// the archive, so a package this index listed can still be fetched from the
/// snapshot taken after that date, long after the live index dropped it.
package struct LockedIndex: Codable, Equatable, Hashable, Sendable {
    /// Mirror root, e.g. `http://deb.debian.org/debian-security`.
    package var uri: String
    /// Suite as the sources name it, e.g. `bookworm-security`.
    package var suite: String
    /// The Release file's `Date:` in UTC, ISO 8601 (`2026-12-05T08:30:12Z`).
    package var date: String

    package init(uri: String, suite: String, date: String) {
        self.uri = uri.hasSuffix("/") ? String(uri.dropLast()) : uri
        self.suite = suite
        self.date = date
    }

    /// The archive's name in snapshot's URL space: the mirror root's last path
    /// component (`debian`, `debian-security`, `debian-ports`).
    package var archiveName: String? {
        let name = uri.split(separator: "/").last.map(String.init) ?? ""
        return name.isEmpty || name.contains(":") ? nil : name
    }

    /// Snapshot timestamps (`YYYYMMDDTHHMMSSZ`) to ask for, in order: snapshot imports
    /// the archive a little after dak publishes it, so the first import that holds
    /// this index is usually within hours after its date; the date itself comes last.
    package var snapshotTimestamps: [String] {
        guard let published = Self.isoFormatter.date(from: date) else { return [] }
        return [3600.0, 6 * 3600.0, 0].map { Self.snapshotFormatter.string(from: published.addingTimeInterval($0)) }
    }

    /// Converts a Release file's `Date:` (RFC 2822, e.g. `Sat, 05 Dec 2026 08:30:12 UTC`)
    /// to this type's ISO 8601 form; nil if it does not parse.
    package static func isoDate(fromReleaseDate text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss zzz"] {
            let parser = DateFormatter()
            parser.locale = Locale(identifier: "en_US_POSIX")
            parser.timeZone = TimeZone(identifier: "UTC")
            parser.dateFormat = format
            if let date = parser.date(from: trimmed) { return isoFormatter.string(from: date) }
        }
        return nil
    }

    private static let isoFormatter: DateFormatter = formatter("yyyy-MM-dd'T'HH:mm:ss'Z'")
    private static let snapshotFormatter: DateFormatter = formatter("yyyyMMdd'T'HHmmss'Z'")

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
