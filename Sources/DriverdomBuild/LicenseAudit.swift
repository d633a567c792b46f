// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import Licensing

/// Checks an image's components against its license policy.
///
/// A refusal is reported at the line that brings the component in when one
/// does (a layer's `packages:` item, a layer's `license:`), else at the rule
/// that refuses it; the message names the component, its version, its license
/// and the rule.
package struct LicenseAudit: Sendable {
    /// One component's outcome.
    package struct Row: Codable, Sendable, Equatable {
        package var component: LicensedComponent
        /// The terms it is shipped under (the first compliant choice), nil when its license is unknown.
        package var shippedUnder: [String]?
        /// `ok`, `unknown`, or `refused`.
        package var verdict: String
        /// What shipping it obliges.
        package var obligations: [String]
    }

    /// The rows, in component order.
    package var rows: [Row]
    /// Refusals, as configuration errors (sorted).
    package var errors: [Diagnostic]
    /// Components of unknown license under `unknown: warn`.
    package var warnings: [String]

    /// Audits `components` against `configuration`'s policy (concluded licenses applied).
    package init(_ components: [LicensedComponent], configuration: Configuration) {
        let policy = configuration.licensePolicy
        let rules = policy.rules
        let root = configuration.repository.root
        var declaredAt: [String: SourceLocation] = [:]
        for layer in configuration.layers {
            declaredAt[layer.executable] = declaredAt[layer.executable] ?? layer.location
            for (package, location) in layer.packageLocations where declaredAt[package] == nil {
                declaredAt[package] = location
            }
        }
        var rows: [Row] = []
        var errors: [Diagnostic] = []
        var warnings: [String] = []
        for var component in components {
            if component.kind == .debian, let conclusion = policy.concluded[component.name] {
                component.concluded = conclusion.license.description
                component.concludedReason = conclusion.reason + " (\(conclusion.location.relative(to: root)))"
            }
            let subject = Self.subject(component)
            guard let expression = component.effective else {
                let reason = component.noAssertionReason ?? "no license is recorded"
                switch policy.unknown {
                case .allow: break
                case .warn: warnings.append("\(subject) has no known license: \(reason)")
                case .deny:
                    let location = declaredAt[component.name] ?? policy.unknownLocation
                        ?? SourceLocation(path: configuration.image.path, line: 1, column: 1)
                    errors.append(Diagnostic(location: location, message: "\(subject) has no known license (\(reason)),"
                        + " and the license policy denies unknown licenses (unknown: deny); conclude one under"
                        + " license_policy.concluded or remove the package"))
                }
                rows.append(Row(component: component, shippedUnder: nil, verdict: "unknown",
                                obligations: component.obligations(under: nil)))
                continue
            }
            switch rules.evaluate(expression, cost: { LicensedComponent.copyleftCount($0) }) {
            case let .complies(choice):
                rows.append(Row(component: component, shippedUnder: choice.sorted().map(\.description), verdict: "ok",
                                obligations: component.obligations(under: choice)))
            case let .refused(refusals):
                let reasons = refusals.map { refusal -> String in
                    switch refusal {
                    case let .denied(term, rule):
                        return "'\(term)' is denied by the rule at \(policy.deny[rule].location.relative(to: root))"
                    case let .notAllowed(term):
                        return "'\(term)' is not in the allowed licenses"
                    }
                }
                var location = declaredAt[component.name]
                if location == nil, case let .denied(_, rule)? = refusals.first { location = policy.deny[rule].location }
                location = location ?? policy.allow?.first?.location
                    ?? SourceLocation(path: configuration.image.path, line: 1, column: 1)
                errors.append(Diagnostic(location: location!, message: "\(subject) is licensed '\(expression)': "
                    + reasons.joined(separator: "; ")))
                rows.append(Row(component: component, shippedUnder: nil, verdict: "refused",
                                obligations: component.obligations(under: expression.terms)))
            }
        }
        self.rows = rows
        self.errors = Array(Set(errors)).sorted()
        self.warnings = warnings
    }

    /// The audit as `licenses.json` records it.
    package var record: LicenseRecord { LicenseRecord(rows: rows, warnings: warnings) }

    /// `package 'libfoo' 1.2-3 (Debian source foo 1.2-3)` and the like.
    static func subject(_ component: LicensedComponent) -> String {
        switch component.kind {
        case .debian:
            let source = component.source.map { " (Debian source \($0) \(component.sourceVersion ?? component.version))" } ?? ""
            return "package '\(component.name)' \(component.version)\(source)"
        case .driverdom:
            return "driverdom executable '\(component.name)'"
        case .kernelModules:
            return "kernel modules '\(component.name)' \(component.version)"
        }
    }
}
