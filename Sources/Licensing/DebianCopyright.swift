// SPDX-License-Identifier: Apache-2.0
import DebianPackages
import Foundation

/// A license that is not on the SPDX License List, as SPDX's
/// `hasExtractedLicensingInfos` records it: its `LicenseRef-…` id, the name the
/// source used and its text.
package struct ExtractedLicense: Hashable, Sendable, Codable {
    /// `LicenseRef-…`.
    package var id: String
    /// The name the copyright file gives it.
    package var name: String
    /// Its text (or, when the file has none, a note saying where it is named).
    package var text: String

    /// Creates an extracted license.
    package init(id: String, name: String, text: String) {
        self.id = id
        self.name = name
        self.text = text
    }
}

/// What a package declares about its license.
package enum DeclaredLicense: Hashable, Sendable {
    /// An SPDX expression, with the texts of the `LicenseRef`s it uses.
    case expression(LicenseExpression, references: [ExtractedLicense])
    /// Nothing can be said automatically, and why.
    case noAssertion(reason: String)

    /// The expression, if any.
    package var expression: LicenseExpression? {
        if case let .expression(expression, _) = self { return expression }
        return nil
    }
}

/// Reads a `debian/copyright` file (installed as `/usr/share/doc/<pkg>/copyright`).
///
/// A machine-readable one (DEP-5, "Format: …copyright-format/1.0/") declares the
/// conjunction of the licenses of all its `Files` paragraphs, each mapped by
/// ``DebianLicenseName`` (DEP-5 precedence: `with` binds tightest, then `and`,
/// then `or`, and a comma separates groups with the lowest precedence). Every
/// paragraph counts, `debian/*` included: the binary package carries the
/// packaging too, and an over-broad answer is safer than a missed license.
/// Any other file gives ``DeclaredLicense/noAssertion(reason:)``.
package enum DebianCopyright {
    /// The declared license of a copyright file's `text`. `scope` (the Debian
    /// source package) scopes `LicenseRef` ids; `file` names it in reasons.
    package static func declaredLicense(of text: String, scope: String, file: String) -> DeclaredLicense {
        let paragraphs = ControlStanza.parseAll(text)
        guard let header = paragraphs.first, let format = header["Format"] ?? header["Format-Specification"] else {
            return .noAssertion(reason: "\(file) is not machine-readable (no DEP-5 'Format:' line)")
        }
        let lower = format.lowercased()
        guard lower.contains("copyright-format") || lower.contains("dep5") || lower.contains("dep-5") else {
            return .noAssertion(reason: "\(file) names format '\(format)', not the machine-readable copyright format")
        }
        var standalone: [String: String] = [:]
        for paragraph in paragraphs where paragraph["Files"] == nil {
            guard let license = paragraph["License"] else { continue }
            let (name, body) = split(license)
            if !body.isEmpty, standalone[name.lowercased()] == nil { standalone[name.lowercased()] = body }
        }
        var parts: [LicenseExpression] = []
        var references: [String: ExtractedLicense] = [:]
        for paragraph in paragraphs where paragraph["Files"] != nil {
            guard let license = paragraph["License"] else { continue }
            let (names, inlineText) = split(license)
            guard !names.isEmpty else { continue }
            let expression = parse(names) { atom in
                if let term = DebianLicenseName.term(atom) { return term }
                let id = DebianLicenseName.reference(atom, scope: scope)
                if references[id] == nil {
                    let text = standalone[atom.lowercased()] ?? (inlineText.isEmpty ? nil : inlineText)
                    references[id] = ExtractedLicense(
                        id: id, name: atom,
                        text: text ?? "License '\(atom)' named in \(file), which does not include its text.")
                }
                return LicenseTerm(id)
            }
            parts.append(expression)
        }
        guard let declared = LicenseExpression.conjunction(parts) else {
            return .noAssertion(reason: "\(file) is machine-readable but has no Files paragraph with a License")
        }
        let used = declared.terms.map(\.license)
        return .expression(declared, references: references.values.filter { used.contains($0.id) }.sorted { $0.id < $1.id })
    }

    /// The values of the `Copyright:` fields of a machine-readable file, each once, in file order.
    package static func copyrightHolders(of text: String) -> [String] {
        var result: [String] = []
        for paragraph in ControlStanza.parseAll(text) {
            guard let value = paragraph["Copyright"] else { continue }
            for line in value.split(separator: "\n") {
                let holder = String(line).trimmingSpaces
                if !holder.isEmpty, holder != ".", !result.contains(holder) { result.append(holder) }
            }
        }
        return result
    }

    /// The first line (the short names) and the rest (the text, `.` lines made empty).
    private static func split(_ value: String) -> (String, String) {
        let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
        let first = String(lines.first ?? "").trimmingSpaces
        let body = lines.dropFirst().map { line -> String in
            let trimmed = String(line).trimmingSpaces
            return trimmed == "." ? "" : trimmed
        }.joined(separator: "\n").trimmingSpaces
        return (first, body)
    }

    /// A DEP-5 license line (`A or B, and C with X exception`) as an expression.
    static func parse(_ line: String, atom: (String) -> LicenseTerm) -> LicenseExpression {
        var result: LicenseExpression?
        for (index, segment) in line.split(separator: ",").enumerated() {
            var text = String(segment).trimmingSpaces
            var joinWithOr = false
            if index > 0 {
                if text.lowercased().hasPrefix("or ") { joinWithOr = true; text.removeFirst(3) }
                else if text.lowercased().hasPrefix("and ") { text.removeFirst(4) }
            }
            let alternatives = splitWords(text, on: "or").map { alternative in
                LicenseExpression.conjunction(splitWords(alternative, on: "and").map { .term(atom($0)) })!
            }
            let group = LicenseExpression.disjunction(alternatives)!
            if let previous = result {
                result = joinWithOr ? LicenseExpression.disjunction([previous, group])
                    : LicenseExpression.conjunction([previous, group])
            } else {
                result = group
            }
        }
        return result ?? .term(atom(line))
    }

    /// `text` split at the word `word` (any case), parts trimmed, empty parts dropped.
    private static func splitWords(_ text: String, on word: String) -> [String] {
        var parts: [String] = []
        var current: [Substring] = []
        for token in text.split(separator: " ", omittingEmptySubsequences: true) {
            if token.lowercased() == word {
                parts.append(current.joined(separator: " "))
                current = []
            } else {
                current.append(token)
            }
        }
        parts.append(current.joined(separator: " "))
        let kept = parts.filter { !$0.isEmpty }
        return kept.isEmpty ? [text] : kept
    }
}
