// SPDX-License-Identifier: Apache-2.0
import Foundation
import Licensing

/// Which licenses an image may ship: the site-wide `license-policy.yaml` of the
/// repository merged with the image's own `license_policy:`.
///
/// Merge rule (image over site), per key:
/// - `deny`: the site's rules, then the image's (both apply);
/// - `allow`: the image's list if it has one, else the site's, else none (anything not denied);
/// - `unknown`: the image's value, else the site's, else `warn`;
/// - `concluded`: the site's conclusions, each replaced by the image's for the same package.
package struct LicensePolicy: Sendable, Hashable {
    /// What a component whose license cannot be determined gets.
    package enum UnknownLicense: String, Sendable, Hashable, CaseIterable {
        /// Accepted silently.
        case allow
        /// Accepted with a warning naming the component.
        case warn
        /// Refused like a denied license.
        case deny
    }

    /// One `deny` or `allow` item: a license term and where it is written.
    package struct Rule: Sendable, Hashable {
        /// The license (optionally `WITH` an exception).
        package var term: LicenseTerm
        /// Where the item is written.
        package var location: SourceLocation
        /// Creates a rule.
        package init(term: LicenseTerm, location: SourceLocation) {
            self.term = term
            self.location = location
        }
    }

    /// A license a person concluded for a package whose copyright file says
    /// nothing machine-readable (or says it wrongly): SPDX's `licenseConcluded`.
    package struct Conclusion: Sendable, Hashable {
        /// Debian binary package name.
        package var package: String
        /// The concluded license.
        package var license: LicenseExpression
        /// Why (what was read, by whom): goes into the SBOM.
        package var reason: String
        /// Where the item is written.
        package var location: SourceLocation
        /// Creates a conclusion.
        package init(package: String, license: LicenseExpression, reason: String, location: SourceLocation) {
            self.package = package
            self.license = license
            self.reason = reason
            self.location = location
        }
    }

    /// Denied terms, site rules first.
    package var deny: [Rule]
    /// Allowed terms, if the policy limits them.
    package var allow: [Rule]?
    /// Treatment of unknown licenses.
    package var unknown: UnknownLicense
    /// Where `unknown` is set, if anywhere.
    package var unknownLocation: SourceLocation?
    /// Concluded licenses by package name.
    package var concluded: [String: Conclusion]

    /// Creates a policy.
    package init(deny: [Rule] = [], allow: [Rule]? = nil, unknown: UnknownLicense = .warn,
                unknownLocation: SourceLocation? = nil, concluded: [String: Conclusion] = [:]) {
        self.deny = deny
        self.allow = allow
        self.unknown = unknown
        self.unknownLocation = unknownLocation
        self.concluded = concluded
    }

    /// The evaluating half (indices of its refusals index `deny`).
    package var rules: LicenseRules {
        LicenseRules(deny: deny.map(\.term), allow: allow.map { $0.map(\.term) })
    }

    /// `image` merged over `site` (see the type's merge rule).
    package static func merged(site: LicensePolicy?, image: LicensePolicy?) -> LicensePolicy {
        guard let site else { return image ?? LicensePolicy() }
        guard let image else { return site }
        return LicensePolicy(deny: site.deny + image.deny, allow: image.allow ?? site.allow,
                             unknown: image.unknownLocation != nil ? image.unknown : site.unknown,
                             unknownLocation: image.unknownLocation ?? site.unknownLocation,
                             concluded: site.concluded.merging(image.concluded) { _, imageValue in imageValue })
    }

    /// A canonical text of everything that decides a verdict or an SBOM field (for cache keys).
    package var canonicalText: String {
        var lines = deny.map { "deny \($0.term)" }
        if let allow { lines += allow.map { "allow \($0.term)" } + ["allow-list"] }
        lines.append("unknown \(unknown.rawValue)")
        for name in concluded.keys.sorted() {
            let conclusion = concluded[name]!
            lines.append("concluded \(name) \(conclusion.license) \(conclusion.reason) "
                + "\((conclusion.location.path as NSString).lastPathComponent):\(conclusion.location.line):\(conclusion.location.column)")
        }
        return lines.joined(separator: "\n")
    }

    /// The repository file holding the site-wide policy.
    package static let siteFileName = "license-policy.yaml"
}
