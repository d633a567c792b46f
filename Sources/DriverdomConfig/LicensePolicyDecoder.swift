// SPDX-License-Identifier: Apache-2.0
import Licensing

/// Decodes a license policy: an image's `license_policy:` mapping or the
/// repository's `license-policy.yaml` (the same keys plus `format:`).
///
/// Rules: unknown keys; `deny` and `allow` items are single SPDX license terms
/// (an id or `LicenseRef-…`, optionally `WITH` an exception) on the SPDX License
/// List, each listed once; a term may not be both allowed and denied; `unknown`
/// is allow, warn or deny; each `concluded` item names a package once, with a
/// valid expression and a non-empty reason.
struct LicensePolicyDecoder {
    let sink: DiagnosticSink

    static let keys = ["deny", "allow", "unknown", "concluded"]

    /// The policy in `value`, or nil after recording its violations.
    func decode(_ value: YAMLValue, context: String) -> LicensePolicy? {
        guard let map = value.mapping(context, keys: Self.keys) else { return nil }
        return decode(map)
    }

    /// The policy of a site file's root mapping (which also holds `format:`).
    func decodeSiteFile(_ root: YAMLValue) -> LicensePolicy? {
        guard let map = root.mapping("license policy file", keys: ["format"] + Self.keys),
              YAMLDocument.checkFormat(map) else { return nil }
        return decode(map)
    }

    private func decode(_ map: YAMLMap) -> LicensePolicy? {
        let before = sink.count
        let deny = map.optional("deny").map { rules($0, kind: "deny") } ?? []
        let allow = map.optional("allow").map { rules($0, kind: "allow") }
        for rule in allow ?? [] where deny.contains(where: { $0.term == rule.term }) {
            sink.error("license '\(rule.term)' is both allowed and denied; keep one rule", at: rule.location)
        }
        let unknownValue = map.optional("unknown")
        let unknown = unknownValue?.choice(LicensePolicy.UnknownLicense.self, problem: "unknown license treatment")
        let concluded = map.optional("concluded").map(conclusions) ?? [:]
        guard sink.count == before else { return nil }
        return LicensePolicy(deny: deny, allow: allow, unknown: unknown ?? .warn,
                             unknownLocation: unknown == nil ? nil : unknownValue?.location, concluded: concluded)
    }

    private func rules(_ value: YAMLValue, kind: String) -> [LicensePolicy.Rule] {
        var rules: [LicensePolicy.Rule] = []
        for item in value.sequence() ?? [] {
            guard let text = item.string(), let expression = Self.expression(item, text: text) else { continue }
            guard case let .term(term) = expression else {
                item.error("a '\(kind)' rule names one license (optionally WITH an exception), got '\(text)';"
                    + " list each license as its own rule")
                continue
            }
            if let first = rules.first(where: { $0.term == term }) {
                item.error("license '\(term)' is listed twice in '\(kind)' (first at line \(first.location.line))")
                continue
            }
            rules.append(LicensePolicy.Rule(term: term, location: item.location))
        }
        return rules
    }

    private func conclusions(_ value: YAMLValue) -> [String: LicensePolicy.Conclusion] {
        var result: [String: LicensePolicy.Conclusion] = [:]
        for item in value.sequence() ?? [] {
            guard let map = item.mapping(BoardDeviceDecoder.named("conclusion for package", item.peek("package")),
                                         keys: ["package", "license", "reason"]) else { continue }
            let packageValue = map.required("package")
            let package = packageValue?.string()
            let licenseValue = map.required("license")
            let license = licenseValue.flatMap { value in value.string().flatMap { Self.expression(value, text: $0) } }
            let reason = map.required("reason")?.string()
            guard let package, let packageValue, let license, let reason else { continue }
            if let first = result[package] {
                packageValue.error("package '\(package)' is concluded twice (first at line \(first.location.line))")
                continue
            }
            result[package] = LicensePolicy.Conclusion(package: package, license: license, reason: reason,
                                                       location: map.location)
        }
        return result
    }

    /// `text` parsed and checked against the SPDX License List; nil after recording why not.
    static func expression(_ value: YAMLValue, text: String) -> LicenseExpression? {
        let expression: LicenseExpression
        do {
            expression = try LicenseExpression.parse(text)
        } catch {
            value.error("\(error)")
            return nil
        }
        let problems = expression.listProblems()
        for problem in problems { value.error(problem) }
        return problems.isEmpty ? expression : nil
    }
}
