// SPDX-License-Identifier: Apache-2.0
import Licensing

/// The license facts of one locked Debian package, as the SBOM and the policy see them.
package struct PackageLicense: Codable, Sendable, Equatable {
    /// Binary package name, version, architecture, archive file and its SHA256 (from the lock).
    package var name: String
    package var version: String
    package var architecture: String
    package var filename: String
    package var sha256: String
    /// The Debian source package and its version (what a source offer names).
    package var source: String
    package var sourceVersion: String
    /// The declared license (SPDX expression text), nil when nothing can be asserted.
    package var declared: String?
    /// Why nothing can be asserted, when `declared` is nil.
    package var noAssertionReason: String?
    /// Texts of the `LicenseRef`s in `declared`.
    package var references: [ExtractedLicense]
    /// The package whose `/usr/share/doc/<name>/copyright` applies (itself, or the
    /// package its doc folder links to, e.g. libgcc-s1 → gcc-12-base); nil when none does.
    package var copyrightPackage: String?

    /// The parsed declared expression.
    package var declaredExpression: LicenseExpression? { declared.flatMap { try? LicenseExpression.parse($0) } }
}
