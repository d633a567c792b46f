// SPDX-License-Identifier: Apache-2.0

/// Spelling of values in xl.cfg(5) files.
enum XLSyntax {
    /// A double-quoted xl string (`"..."`); the value must not hold a double quote,
    /// a backslash or a line break.
    static func quoted(_ value: String, field: String) throws(XenConfigError) -> String {
        try check(value, field: field, forbidden: ["\"", "\\", "\n"])
        return "\"\(value)\""
    }

    /// A value inside a comma-separated `KEY=VALUE` spec string: no comma, quote,
    /// semicolon (list separator), equals sign or line break.
    static func specValue(_ value: String, field: String) throws(XenConfigError) -> String {
        try check(value, field: field, forbidden: [",", ";", "=", "\"", "'", "\\", "\n"])
        return value
    }

    /// `[ a, b ]` on one line, or `[ ]` when empty.
    static func list(_ items: [String]) -> String {
        items.isEmpty ? "[ ]" : "[ " + items.joined(separator: ", ") + " ]"
    }

    /// xl.cfg booleans in spec strings are 0 or 1.
    static func flag(_ value: Bool) -> String { value ? "1" : "0" }

    private static func check(_ value: String, field: String, forbidden: [Character]) throws(XenConfigError) {
        if let bad = value.first(where: forbidden.contains) {
            let shown = bad == "\n" ? "a line break" : "'\(bad)'"
            throw .unrepresentableValue(field: field, value: value, forbidden: shown)
        }
    }
}
