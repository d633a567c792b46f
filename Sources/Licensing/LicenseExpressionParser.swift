// SPDX-License-Identifier: Apache-2.0

/// Recursive-descent parser of SPDX license expressions:
///
///     or-expr   = and-expr *( "OR" and-expr )
///     and-expr  = with-expr *( "AND" with-expr )
///     with-expr = "(" or-expr ")" / id [ "WITH" id ]
struct LicenseExpressionParser {
    private enum Token: Equatable {
        case word(String)
        case open
        case close
    }

    private let text: String
    private var tokens: [(token: Token, offset: Int)] = []
    private var index = 0

    init(_ text: String) {
        self.text = text
        var offset = 0
        var word = ""
        var wordStart = 0
        func flush() {
            if !word.isEmpty { tokens.append((.word(word), wordStart)) }
            word = ""
        }
        for character in text {
            switch character {
            case "(": flush(); tokens.append((.open, offset))
            case ")": flush(); tokens.append((.close, offset))
            case " ", "\t", "\n", "\r": flush()
            default:
                if word.isEmpty { wordStart = offset }
                word.append(character)
            }
            offset += 1
        }
        flush()
    }

    mutating func parseAll() throws(LicenseExpressionError) -> LicenseExpression {
        guard !tokens.isEmpty else { throw fail("the expression is empty") }
        let expression = try parseOr()
        if index < tokens.count { throw fail("unexpected '\(shown(tokens[index].token))'") }
        return expression
    }

    private mutating func parseOr() throws(LicenseExpressionError) -> LicenseExpression {
        var parts = [try parseAnd()]
        while accept("OR") { parts.append(try parseAnd()) }
        return parts.count == 1 ? parts[0] : LicenseExpression.disjunction(parts)!
    }

    private mutating func parseAnd() throws(LicenseExpressionError) -> LicenseExpression {
        var parts = [try parseWith()]
        while accept("AND") { parts.append(try parseWith()) }
        return parts.count == 1 ? parts[0] : LicenseExpression.conjunction(parts)!
    }

    private mutating func parseWith() throws(LicenseExpressionError) -> LicenseExpression {
        guard index < tokens.count else { throw fail("expected a license id") }
        switch tokens[index].token {
        case .open:
            index += 1
            let inner = try parseOr()
            guard index < tokens.count, tokens[index].token == .close else { throw fail("expected ')'") }
            index += 1
            return inner
        case .close:
            throw fail("unexpected ')'")
        case let .word(word):
            guard !Self.isOperator(word) else { throw fail("expected a license id, got '\(word)'") }
            index += 1
            var term = LicenseTerm(word)
            if accept("WITH") {
                guard index < tokens.count, case let .word(exception) = tokens[index].token,
                      !Self.isOperator(exception) else { throw fail("expected an exception id after WITH") }
                index += 1
                term.exception = exception
            }
            return .term(term)
        }
    }

    private static func isOperator(_ word: String) -> Bool {
        ["AND", "OR", "WITH", "and", "or", "with"].contains(word)
    }

    private mutating func accept(_ keyword: String) -> Bool {
        guard index < tokens.count, case let .word(word) = tokens[index].token,
              word == keyword || word == keyword.lowercased() else { return false }
        index += 1
        return true
    }

    private func shown(_ token: Token) -> String {
        switch token {
        case let .word(word): return word
        case .open: return "("
        case .close: return ")"
        }
    }

    private func fail(_ problem: String) -> LicenseExpressionError {
        let offset = index < tokens.count ? tokens[index].offset : text.count
        return .parseFailed(text: text, offset: offset, problem: problem)
    }
}
