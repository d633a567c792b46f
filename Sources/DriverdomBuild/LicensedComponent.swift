// SPDX-License-Identifier: Apache-2.0
import Foundation
import Licensing

/// One component of an image with what is known of its license: a Debian
/// package, a driverdom executable, or kernel modules driverdom built from
/// Debian's kernel sources. What `licenses.json`, the SBOM and `driverdom
/// licenses` are made from.
package struct LicensedComponent: Codable, Sendable, Equatable {
    /// Where the component comes from.
    package enum Kind: String, Codable, Sendable {
        /// A Debian binary package.
        case debian
        /// An executable driverdom cross-compiles (a backend, the init).
        case driverdom
        /// Kernel modules built from Debian's `linux-source`.
        case kernelModules = "kernel-modules"
    }

    package var kind: Kind
    package var name: String
    package var version: String
    /// The declared license (SPDX expression text), nil when nothing can be asserted.
    package var declared: String?
    /// Why nothing can be asserted, when `declared` is nil.
    package var noAssertionReason: String?
    /// A license the policy's `concluded:` gives it, and why.
    package var concluded: String?
    package var concludedReason: String?
    /// Texts of the `LicenseRef`s its licenses use.
    package var references: [ExtractedLicense]
    /// The Debian source package and version that builds it (Debian packages and kernel modules).
    package var source: String?
    package var sourceVersion: String?
    /// The Debian package whose copyright file applies (Debian packages).
    package var copyrightPackage: String?
    /// Lock facts of a Debian package: archive path and SHA256.
    package var filename: String?
    package var sha256: String?
    package var architecture: String?
    /// Names of the rootfs that carry files of it (empty when not known, as in `driverdom check`).
    package var rootfs: [String]

    /// Creates a component with nothing concluded.
    package init(kind: Kind, name: String, version: String, declared: String?, noAssertionReason: String?,
                references: [ExtractedLicense] = [], rootfs: [String] = []) {
        self.kind = kind
        self.name = name
        self.version = version
        self.declared = declared
        self.noAssertionReason = noAssertionReason
        self.references = references
        self.rootfs = rootfs
    }

    /// A Debian package's component from its license facts.
    package init(package: PackageLicense, rootfs: [String] = []) {
        self.init(kind: .debian, name: package.name, version: package.version, declared: package.declared,
                  noAssertionReason: package.noAssertionReason, references: package.references, rootfs: rootfs)
        source = package.source
        sourceVersion = package.sourceVersion
        copyrightPackage = package.copyrightPackage
        filename = package.filename
        sha256 = package.sha256
        architecture = package.architecture
    }

    /// The license that counts: the concluded one, else the declared one.
    package var effective: LicenseExpression? {
        (concluded ?? declared).flatMap { try? LicenseExpression.parse($0) }
    }

    /// License families whose terms oblige a source offer.
    static let copyleftPrefixes = ["GPL-", "LGPL-", "AGPL-", "MPL-", "EPL-", "CDDL-", "EUPL-"]

    /// How many of `terms` are copyleft (oblige a source offer).
    package static func copyleftCount(_ terms: Set<LicenseTerm>) -> Int {
        terms.filter { term in copyleftPrefixes.contains { term.license.hasPrefix($0) } }.count
    }

    /// What shipping it obliges the image's supplier to do, given the terms it is shipped under.
    package func obligations(under terms: Set<LicenseTerm>?) -> [String] {
        guard let terms else {
            return ["license unknown: conclude it (license_policy.concluded) before shipping"]
        }
        var result: [String] = []
        let ids = terms.map(\.license)
        if Self.copyleftCount(terms) > 0 {
            switch kind {
            case .debian:
                result.append("offer the source: Debian source package \(source ?? name) \(sourceVersion ?? version)")
            case .kernelModules:
                result.append("offer the source: Debian source package \(source ?? "linux") \(sourceVersion ?? version)"
                    + " and driverdom's Kbuild inputs")
            case .driverdom:
                result.append("offer the source: the driverdom sources this image was built from")
            }
        }
        if ids.contains(where: { $0.hasPrefix("AGPL-") }) {
            result.append("give users who interact with it over a network the source")
        }
        if ids.contains(where: { $0.hasPrefix("LGPL-") }) {
            result.append("let users relink it (shared libraries do)")
        }
        result.append(kind == .debian
            ? "ship its license text and notices (/usr/share/doc/\(copyrightPackage ?? name)/copyright is on board)"
            : "ship its license text and notices (/usr/share/doc/driverdom/copyright is on board)")
        return result
    }
}
