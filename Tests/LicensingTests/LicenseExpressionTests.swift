// SPDX-License-Identifier: Apache-2.0
import Licensing
import Testing

@Suite("SPDX license expressions")
struct LicenseExpressionTests {
    @Test(arguments: [
        ("MIT", "MIT"),
        ("GPL-2.0-only OR MIT", "GPL-2.0-only OR MIT"),
        ("gpl-2.0-only or MIT and BSD-3-Clause", "gpl-2.0-only OR MIT AND BSD-3-Clause"),
        ("(GPL-2.0-only OR MIT) AND Zlib", "(GPL-2.0-only OR MIT) AND Zlib"),
        ("GPL-3.0-or-later WITH GCC-exception-3.1 AND MIT", "GPL-3.0-or-later WITH GCC-exception-3.1 AND MIT"),
        ("((MIT))", "MIT"),
        ("MIT AND (Zlib AND ISC)", "MIT AND Zlib AND ISC"),
    ])
    func parsesAndPrintsCanonically(text: String, canonical: String) throws {
        #expect(try LicenseExpression.parse(text).description == canonical)
    }

    @Test(arguments: ["", "MIT AND", "(MIT", "MIT)", "AND MIT", "MIT WITH", "MIT OR OR Zlib"])
    func rejectsMalformedText(text: String) {
        #expect(throws: LicenseExpressionError.self) { try LicenseExpression.parse(text) }
    }

    @Test func choicesAreTheDisjunctiveNormalForm() throws {
        let expression = try LicenseExpression.parse("(GPL-2.0-only OR MIT) AND (Zlib OR ISC)")
        let choices = try #require(expression.choices())
        #expect(choices.count == 4)
        #expect(choices.contains([LicenseTerm("MIT"), LicenseTerm("ISC")]))
    }

    @Test func listProblemsNameTheFix() throws {
        #expect(try LicenseExpression.parse("MIT OR LicenseRef-x.y").listProblems().isEmpty)
        #expect(try LicenseExpression.parse("GPL-2.0").listProblems() == ["'GPL-2.0' is a deprecated SPDX license id (use 'GPL-2.0-only')"])
        #expect(try LicenseExpression.parse("mit").listProblems().first?.contains("did you mean 'MIT'") == true)
        #expect(try LicenseExpression.parse("Foo-1").listProblems().first?.contains("LicenseRef") == true)
        #expect(try LicenseExpression.parse("GPL-2.0-only WITH Nope").listProblems().count == 1)
    }
}

@Suite("License rules (allow, deny, exceptions)")
struct LicenseRulesTests {
    let rules = LicenseRules(deny: [LicenseTerm("GPL-3.0-only"), LicenseTerm("GPL-3.0-or-later")], allow: nil)

    @Test func aChoiceAvoidingTheDeniedTermComplies() throws {
        let verdict = rules.evaluate(try LicenseExpression.parse("GPL-3.0-or-later OR MIT"))
        #expect(verdict == .complies(choice: [LicenseTerm("MIT")]))
    }

    @Test func aConjunctionWithADeniedTermIsRefusedNamingTheRule() throws {
        let verdict = rules.evaluate(try LicenseExpression.parse("MIT AND GPL-3.0-only"))
        #expect(verdict == .refused([.denied(term: LicenseTerm("GPL-3.0-only"), rule: 0)]))
    }

    @Test func anExceptionOnlyAddsPermissions() throws {
        let gcc = try LicenseExpression.parse("GPL-3.0-or-later WITH GCC-exception-3.1")
        if case .refused = rules.evaluate(gcc) { Issue.record("denying GPL-3.0-or-later denied its GCC exception form") }
        let allowOnly = LicenseRules(deny: [], allow: [LicenseTerm("GPL-2.0-only")])
        #expect(allowOnly.refusal(LicenseTerm("GPL-2.0-only", exception: "Linux-syscall-note")) == nil)
        #expect(allowOnly.refusal(LicenseTerm("MIT")) == .notAllowed(term: LicenseTerm("MIT")))
    }
}
