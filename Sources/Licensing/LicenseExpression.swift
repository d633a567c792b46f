// SPDX-License-Identifier: Apache-2.0

/// One license term of an SPDX expression: a license (an SPDX id or a
/// `LicenseRef-…`) and, optionally, the exception granted with it (`WITH`).
package struct LicenseTerm: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// SPDX license id or `LicenseRef-…`.
    package var license: String
    /// SPDX exception id, if any.
    package var exception: String?

    /// Creates a term.
    package init(_ license: String, exception: String? = nil) {
        self.license = license
        self.exception = exception
    }

    /// `license` or `license WITH exception`.
    package var description: String { exception.map { "\(license) WITH \($0)" } ?? license }

    /// Orders by text.
    package static func < (lhs: LicenseTerm, rhs: LicenseTerm) -> Bool { lhs.description < rhs.description }

    /// Whether the license is a document-local `LicenseRef-…`.
    package var isReference: Bool { license.hasPrefix("LicenseRef-") }
}

/// An SPDX license expression (SPDX 2.3 Annex D): terms joined by `AND` and
/// `OR`, `WITH` binding tightest, then `AND`, then `OR`; parentheses group.
package indirect enum LicenseExpression: Hashable, Sendable, CustomStringConvertible {
    /// A single term.
    case term(LicenseTerm)
    /// Every part applies (`AND`).
    case all([LicenseExpression])
    /// Any one part may be chosen (`OR`).
    case any([LicenseExpression])

    /// Parses SPDX expression text; operators are accepted in upper or lower case.
    package static func parse(_ text: String) throws(LicenseExpressionError) -> LicenseExpression {
        var parser = LicenseExpressionParser(text)
        return try parser.parseAll()
    }

    /// Joins `parts` with `AND`, flattening nested `AND`s and dropping repeats (first kept).
    package static func conjunction(_ parts: [LicenseExpression]) -> LicenseExpression? {
        joined(parts, and: true)
    }

    /// Joins `parts` with `OR`, flattening nested `OR`s and dropping repeats (first kept).
    package static func disjunction(_ parts: [LicenseExpression]) -> LicenseExpression? {
        joined(parts, and: false)
    }

    private static func joined(_ parts: [LicenseExpression], and: Bool) -> LicenseExpression? {
        var flat: [LicenseExpression] = []
        for part in parts {
            let items: [LicenseExpression]
            switch (part, and) {
            case let (.all(inner), true), let (.any(inner), false): items = inner
            default: items = [part]
            }
            for item in items where !flat.contains(item) { flat.append(item) }
        }
        guard flat.count > 1 else { return flat.first }
        return and ? .all(flat) : .any(flat)
    }

    /// The canonical SPDX text: upper-case operators, parentheses only where needed.
    package var description: String {
        switch self {
        case let .term(term): return term.description
        case let .all(parts):
            return parts.map { part in
                if case .any = part { return "(\(part))" }
                return part.description
            }.joined(separator: " AND ")
        case let .any(parts):
            return parts.map(\.description).joined(separator: " OR ")
        }
    }

    /// Every term the expression names.
    package var terms: Set<LicenseTerm> {
        switch self {
        case let .term(term): return [term]
        case let .all(parts), let .any(parts): return parts.reduce(into: []) { $0.formUnion($1.terms) }
        }
    }

    /// The ways to comply: each choice is a set of terms that all apply when that
    /// branch of every `OR` is taken (the disjunctive normal form). Nil when there
    /// are more than `limit` choices (then every term must be taken as applying).
    package func choices(limit: Int = 4096) -> [Set<LicenseTerm>]? {
        switch self {
        case let .term(term): return [[term]]
        case let .any(parts):
            var result: [Set<LicenseTerm>] = []
            for part in parts {
                guard let inner = part.choices(limit: limit) else { return nil }
                for choice in inner where !result.contains(choice) { result.append(choice) }
                if result.count > limit { return nil }
            }
            return result
        case let .all(parts):
            var result: [Set<LicenseTerm>] = [[]]
            for part in parts {
                guard let inner = part.choices(limit: limit) else { return nil }
                var next: [Set<LicenseTerm>] = []
                for left in result {
                    for right in inner {
                        let combined = left.union(right)
                        if !next.contains(combined) { next.append(combined) }
                    }
                }
                if next.count > limit { return nil }
                result = next
            }
            return result
        }
    }

    /// Problems of the ids against the SPDX License List: unknown or deprecated
    /// licenses, unknown exceptions. `LicenseRef-…` ids are accepted as they are.
    package func listProblems() -> [String] {
        var problems: [String] = []
        for term in terms.sorted() {
            if let problem = Self.problem(ofLicense: term.license) { problems.append(problem) }
            if let exception = term.exception, !SPDXLicenseList.exceptions.contains(exception) {
                let match = SPDXLicenseList.exceptions.first { $0.lowercased() == exception.lowercased() }
                problems.append("'\(exception)' is not an SPDX license exception"
                    + (match.map { " (did you mean '\($0)'?)" } ?? ""))
            }
        }
        return problems
    }

    private static func problem(ofLicense id: String) -> String? {
        if id.hasPrefix("LicenseRef-") {
            let rest = id.dropFirst("LicenseRef-".count)
            let valid = !rest.isEmpty && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            return valid ? nil : "'\(id)' is not a valid LicenseRef (letters, digits, '-' and '.' only)"
        }
        if SPDXLicenseList.licenses.contains(id) { return nil }
        if SPDXLicenseList.deprecatedLicenses.contains(id) {
            let modern = DebianLicenseName.gnuIdentifier(id).map { " (use '\($0)')" } ?? ""
            return "'\(id)' is a deprecated SPDX license id\(modern)"
        }
        if let match = SPDXLicenseList.licenses.first(where: { $0.lowercased() == id.lowercased() }) {
            return "'\(id)' is not an SPDX license id (did you mean '\(match)'?)"
        }
        return "'\(id)' is not on the SPDX License List \(SPDXLicenseList.version); name a license that is not with 'LicenseRef-…'"
    }
}

/// Why license expression text could not be parsed.
package enum LicenseExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text has a syntax error at a character offset.
    case parseFailed(text: String, offset: Int, problem: String)

    /// What failed, where, and what was expected.
    package var description: String {
        switch self {
        case let .parseFailed(text, offset, problem):
            return "cannot parse license expression '\(text)' at character \(offset + 1): \(problem)"
        }
    }
}
