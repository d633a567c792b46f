// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One paragraph of a Debian control-format file (`Field: value`, continuation
/// lines start with whitespace, `#` lines are comments, blank lines separate paragraphs).
package struct ControlStanza: Equatable, Sendable {
    /// Fields in file order; names keep their spelling, lookups ignore case.
    package private(set) var fields: [(name: String, value: String)]
    /// 1-based line of the paragraph's first field.
    package var line: Int

    package static func == (lhs: ControlStanza, rhs: ControlStanza) -> Bool {
        lhs.line == rhs.line && lhs.fields.map(\.name) == rhs.fields.map(\.name)
            && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// The value of field `name` (case-insensitive), continuation lines joined with `\n`.
    package subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The whitespace-separated words of field `name`, empty when absent.
    package func words(_ name: String) -> [String] {
        (self[name] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }

    /// Splits `text` into paragraphs.
    package static func parseAll(_ text: String) -> [ControlStanza] {
        var stanzas: [ControlStanza] = []
        var current: [(name: String, value: String)] = []
        var start = 0
        func flush() {
            if !current.isEmpty { stanzas.append(ControlStanza(fields: current, line: start)) }
            current = []
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { flush(); continue }
            if line.hasPrefix("#") { continue }
            if line.first == " " || line.first == "\t" {
                guard !current.isEmpty else { continue }
                let body = line.trimmingCharacters(in: .whitespaces)
                current[current.count - 1].value += "\n" + (body == "." ? "" : body)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            if current.isEmpty { start = index + 1 }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            current.append((name, value))
        }
        flush()
        return stanzas
    }
}
