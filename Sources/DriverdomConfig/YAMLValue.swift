// SPDX-License-Identifier: Apache-2.0
import Yams

/// A YAML node being decoded: knows its file, the name it is reported under, and
/// where to record violations. Conversions return nil after recording an error.
struct YAMLValue {
    let node: Node
    /// How messages refer to this value, preposition included, e.g. `for 'vcpus'`
    /// or `in 'interrupts'`.
    let subject: String
    let file: String
    let sink: DiagnosticSink

    var location: SourceLocation { Self.location(of: node, in: file) }

    static func location(of node: Node, in file: String) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(path: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func error(_ message: String) { sink.error(message, at: location) }

    /// How the value reads in a message: `'text'`, `nothing`, `a mapping`, `a sequence`.
    var shown: String {
        switch node {
        case .scalar(let scalar):
            if isNull { return "nothing" }
            return "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        }
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private func scalarText(expecting kind: String) -> String? {
        guard case .scalar(let scalar) = node, !isNull else {
            error("expected \(kind) \(subject), got \(shown)")
            return nil
        }
        return scalar.string
    }

    /// The same node reported under another subject.
    func named(_ subject: String) -> YAMLValue {
        YAMLValue(node: node, subject: subject, file: file, sink: sink)
    }

    /// A non-empty string.
    func string() -> String? {
        guard let text = scalarText(expecting: "a string") else { return nil }
        guard !text.isEmpty else {
            error("expected a non-empty string \(subject)")
            return nil
        }
        return text
    }

    /// A decimal or hex integer.
    func int() -> Int? {
        guard let text = scalarText(expecting: "an integer") else { return nil }
        guard let value = IntegerText.signed(text) else {
            error("expected an integer \(subject), got '\(text)'")
            return nil
        }
        return value
    }

    /// A non-negative decimal or hex integer (addresses, sizes).
    func address() -> UInt64? {
        guard let text = scalarText(expecting: "an address") else { return nil }
        guard let value = IntegerText.unsigned(text) else {
            error("expected a non-negative integer \(subject), got '\(text)'")
            return nil
        }
        return value
    }

    /// `true` or `false`.
    func bool() -> Bool? {
        guard let text = scalarText(expecting: "true or false") else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            error("expected true or false \(subject), got '\(text)'")
            return nil
        }
    }

    /// A size such as `2GiB`, `256MiB` or `0x1000`.
    func byteCount() -> ByteCount? {
        guard let text = scalarText(expecting: "a size") else { return nil }
        guard let value = ByteCount(parsing: text) else {
            error("expected a size like 256MiB or 0x10000000 \(subject), got '\(text)'")
            return nil
        }
        return value
    }

    /// One of an enumeration's raw values; the message lists the accepted ones.
    func choice<Choice: CaseIterable & RawRepresentable>(
        _ type: Choice.Type, problem: String
    ) -> Choice? where Choice.RawValue == String {
        guard let text = scalarText(expecting: "a string") else { return nil }
        guard let value = Choice(rawValue: text) else {
            let accepted = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            error("\(problem) '\(text)' \(subject) (expected one of: \(accepted))")
            return nil
        }
        return value
    }

    /// The items of a sequence, each named `item of <name>`.
    func sequence() -> [YAMLValue]? {
        guard case .sequence(let sequence) = node else {
            error("expected a sequence \(subject), got \(shown)")
            return nil
        }
        let itemSubject = subject.hasPrefix("for ") ? "in " + subject.dropFirst(4) : subject
        return sequence.map { YAMLValue(node: $0, subject: itemSubject, file: file, sink: sink) }
    }

    /// A sequence of strings; invalid items are reported and left out.
    func strings() -> [String]? { sequence()?.compactMap { $0.string() } }

    /// A sequence of integers; invalid items are reported and left out.
    func ints() -> [Int]? { sequence()?.compactMap { $0.int() } }

    /// A mapping whose keys must all be in `keys`; `context` names it in messages.
    func mapping(_ context: String, keys: [String]) -> YAMLMap? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping \(subject), got \(shown)")
            return nil
        }
        return YAMLMap(mapping: mapping, node: node, context: context, keys: keys, file: file, sink: sink)
    }

    /// The entries of a mapping whose keys are free-form (names checked by the caller).
    func pairs() -> [(key: YAMLValue, value: YAMLValue)]? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping \(subject), got \(shown)")
            return nil
        }
        return mapping.map { key, value in
            let keyValue = YAMLValue(node: key, subject: "for a key \(subject)", file: file, sink: sink)
            let keyText: String
            if case .scalar(let scalar) = key { keyText = scalar.string } else { keyText = "?" }
            return (keyValue, YAMLValue(node: value, subject: "for '\(keyText)'", file: file, sink: sink))
        }
    }

    /// The text of the scalar at `key` when this is a mapping, recording nothing
    /// (to name a mapping in messages before decoding it).
    func peek(_ key: String) -> String? {
        guard case .mapping(let mapping) = node, case .scalar(let scalar)? = mapping[key] else { return nil }
        return scalar.string
    }

    /// The text of a scalar without recording anything (for keys and peeking).
    var text: String? {
        guard case .scalar(let scalar) = node else { return nil }
        return scalar.string
    }
}
