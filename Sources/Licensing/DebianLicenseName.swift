// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Maps a license short name of a machine-readable `debian/copyright` (DEP-5,
/// "License Specification") to an SPDX license term.
///
/// Rules, in order:
/// - `NAME with X exception`: NAME is mapped as below; X becomes the SPDX
///   exception `X`, `X-exception` or the single `X-exception-…` on the list,
///   else the whole name becomes a `LicenseRef` (an exception SPDX does not list
///   cannot follow `WITH` in SPDX 2.3);
/// - the GNU families (`GPL`, `LGPL`, `AGPL`, `GFDL`, `GFDL-NIV`) with a version:
///   `GPL-2` → `GPL-2.0-only`, `GPL-2+` → `GPL-2.0-or-later` (DEP-5's `+` means
///   "or any later version"); without a version they stay unmapped;
/// - Debian names that differ from SPDX's: `Expat` → `MIT`, `Apache-2` →
///   `Apache-2.0`, `Artistic` → `Artistic-1.0-Perl`, `CC0` → `CC0-1.0`;
/// - any current SPDX id, compared without regard to case (`BSD-3-clause` →
///   `BSD-3-Clause`);
/// - anything else (`public-domain`, `other`, misspellings) is kept as a
///   `LicenseRef-<scope>-<name>` whose text is taken from the file.
package enum DebianLicenseName {
    /// The SPDX term of `name`, or nil when it has none (the caller makes a `LicenseRef`).
    package static func term(_ name: String) -> LicenseTerm? {
        let trimmed = name.trimmingSpaces
        if let (base, exception) = splitException(trimmed) {
            guard let license = licenseID(base), let exceptionID = exceptionID(exception) else { return nil }
            return LicenseTerm(license, exception: exceptionID)
        }
        return licenseID(trimmed).map { LicenseTerm($0) }
    }

    /// A `LicenseRef-…` id for `name` as used by `scope` (a source package): the
    /// same name means different texts in different packages, so refs are scoped.
    package static func reference(_ name: String, scope: String) -> String {
        "LicenseRef-" + sanitized(scope) + "-" + sanitized(name.replacingPlus)
    }

    /// The SPDX id of a GNU family name with a version (`GPL-2`, `LGPL-2.1+`,
    /// `GPL-2.0`, `GFDL-NIV-1.3+`), or nil.
    package static func gnuIdentifier(_ name: String) -> String? {
        var text = name
        let orLater = text.hasSuffix("+")
        if orLater { text.removeLast() }
        let families = [("GFDL-NIV-", "GFDL-", "-no-invariants"), ("AGPL-", "AGPL-", ""), ("LGPL-", "LGPL-", ""),
                        ("GPL-", "GPL-", ""), ("GFDL-", "GFDL-", "")]
        for (prefix, spdxPrefix, infix) in families where text.uppercased().hasPrefix(prefix) {
            var version = String(text.dropFirst(prefix.count))
            if version.lowercased().hasSuffix("-only") { version.removeLast(5) }
            var later = orLater
            if version.lowercased().hasSuffix("-or-later") { version.removeLast(9); later = true }
            guard !version.isEmpty, version.allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
            if !version.contains(".") { version += ".0" }
            let id = spdxPrefix + version + infix + (later ? "-or-later" : "-only")
            return SPDXLicenseList.licenses.contains(id) ? id : nil
        }
        return nil
    }

    private static let aliases = ["expat": "MIT", "apache-2": "Apache-2.0", "artistic": "Artistic-1.0-Perl",
                                  "cc0": "CC0-1.0", "mpl-2": "MPL-2.0", "mpl-1.1": "MPL-1.1"]

    private static func licenseID(_ name: String) -> String? {
        if let id = gnuIdentifier(name) { return id }
        if let id = aliases[name.lowercased()] { return id }
        if SPDXLicenseList.licenses.contains(name) { return name }
        return lowercasedLicenses[name.lowercased()]
    }

    private static let lowercasedLicenses: [String: String] = Dictionary(
        SPDXLicenseList.licenses.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

    private static func exceptionID(_ name: String) -> String? {
        let lower = name.lowercased()
        for candidate in [lower, lower + "-exception"] {
            if let id = SPDXLicenseList.exceptions.first(where: { $0.lowercased() == candidate }) { return id }
        }
        let prefixed = SPDXLicenseList.exceptions.filter { $0.lowercased().hasPrefix(lower + "-exception-") }
        return prefixed.count == 1 ? prefixed.first : nil
    }

    /// `NAME with X exception` (or `NAME with X`) split into NAME and X.
    private static func splitException(_ text: String) -> (String, String)? {
        guard let range = text.range(of: " with ", options: .caseInsensitive) else { return nil }
        let base = String(text[..<range.lowerBound]).trimmingSpaces
        var exception = String(text[range.upperBound...]).trimmingSpaces
        if exception.lowercased().hasSuffix(" exception") { exception.removeLast(" exception".count) }
        exception = exception.trimmingSpaces.replacingOccurrences(of: " ", with: "-")
        guard !base.isEmpty, !exception.isEmpty else { return nil }
        return (base, exception)
    }

    private static func sanitized(_ text: String) -> String {
        var result = ""
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber || character == "." || character == "-") {
                result.append(character)
            } else if result.last != "-" {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        while result.hasPrefix("-") { result.removeFirst() }
        return result.isEmpty ? "unnamed" : result
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            scalars.removeFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            scalars.removeLast()
        }
        return String(scalars)
    }

    /// `+` spelled out (`GPL-2+` → `GPL-2-plus`), for ids that cannot hold `+`.
    var replacingPlus: String { replacingOccurrences(of: "+", with: "-plus") }
}
