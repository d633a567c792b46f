// SPDX-License-Identifier: Apache-2.0

/// Allowed and denied license terms, and how a component of unknown license is
/// treated: the evaluating half of a license policy (the configuration holds
/// where each rule is written).
///
/// A component's expression complies when some choice of its `OR` branches
/// takes only terms that are not denied and, when an allow list is given, are
/// allowed. Matching is exact on the term, with one asymmetry: an exception
/// only ever adds permissions, so `X WITH E` is allowed when `X` is, and denied
/// only when `X WITH E` itself is denied (denying `GPL-3.0-or-later` does not
/// deny `GPL-3.0-or-later WITH GCC-exception-3.1`).
package struct LicenseRules: Hashable, Sendable {
    /// Terms that may not be shipped, in rule order.
    package var deny: [LicenseTerm]
    /// When set, the only terms that may be shipped, in rule order.
    package var allow: [LicenseTerm]?

    /// Creates rules.
    package init(deny: [LicenseTerm], allow: [LicenseTerm]?) {
        self.deny = deny
        self.allow = allow
    }

    /// Why a term of a choice is refused.
    package enum Refusal: Hashable, Sendable {
        /// The term matches deny rule `rule` (an index into `deny`).
        case denied(term: LicenseTerm, rule: Int)
        /// An allow list is given and the term is not on it.
        case notAllowed(term: LicenseTerm)

        /// The refused term.
        package var term: LicenseTerm {
            switch self {
            case let .denied(term, _), let .notAllowed(term): return term
            }
        }
    }

    /// The outcome for one expression.
    package enum Verdict: Hashable, Sendable {
        /// It complies with the terms of `choice` (the first compliant choice).
        case complies(choice: Set<LicenseTerm>)
        /// No choice complies; `refusals` are those of the choice with the fewest.
        case refused([Refusal])
    }

    /// The verdict for `expression`. Of several compliant choices the one `cost`
    /// rates lowest wins (the first of equals), e.g. the one with the fewest obligations.
    package func evaluate(_ expression: LicenseExpression,
                         cost: (Set<LicenseTerm>) -> Int = { _ in 0 }) -> Verdict {
        let choices = expression.choices() ?? [expression.terms]
        var best: [Refusal]?
        var chosen: (choice: Set<LicenseTerm>, cost: Int)?
        for choice in choices {
            let refusals = choice.sorted().compactMap(refusal)
            if refusals.isEmpty {
                let rating = cost(choice)
                if chosen == nil || rating < chosen!.cost { chosen = (choice, rating) }
                continue
            }
            if best == nil || refusals.count < best!.count { best = refusals }
        }
        if let chosen { return .complies(choice: chosen.choice) }
        return .refused(best ?? [])
    }

    /// Why `term` may not be shipped, or nil when it may.
    package func refusal(_ term: LicenseTerm) -> Refusal? {
        if let rule = deny.firstIndex(of: term) { return .denied(term: term, rule: rule) }
        guard let allow else { return nil }
        if allow.contains(term) { return nil }
        if term.exception != nil, allow.contains(LicenseTerm(term.license)) { return nil }
        return .notAllowed(term: term)
    }
}
