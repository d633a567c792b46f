// SPDX-License-Identifier: Apache-2.0
import Licensing

/// The license facts of one locked Debian package, as the SBOM and the policy see them.
public struct PackageLicense: Codable, Sendable, Equatable {
    /// Binary package name, version, architecture, archive file and its SHA256 (from the lock).
    public var name: String
    public var version: String
    public var architecture: String
    public var filename: String
    public var sha256: String
    /// The Debian source package and its version (what a source offer names).
    public var source: String
    public var sourceVersion: String
    /// The declared license (SPDX expression text), nil when nothing can be asserted.
    public var declared: String?
    /// Why nothing can be asserted, when `declared` is nil.
    public var noAssertionReason: String?
    /// Texts of the `LicenseRef`s in `declared`.
    public var references: [ExtractedLicense]
    /// The package whose `/usr/share/doc/<name>/copyright` applies (itself, or the
    /// package its doc folder links to, e.g. libgcc-s1 → gcc-12-base); nil when none does.
    public var copyrightPackage: String?

    /// The parsed declared expression.
    public var declaredExpression: LicenseExpression? { declared.flatMap { try? LicenseExpression.parse($0) } }
}
