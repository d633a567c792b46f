// SPDX-License-Identifier: Apache-2.0
import Yams

/// Parses one configuration file's text into its root node, reporting malformed
/// YAML at the parser's position, and checks the `format:` version.
enum YAMLDocument {
    /// The file-format versions this loader understands.
    static let supportedFormats = [1]

    /// The root node of `text`, or nil after recording why it could not be parsed.
    static func parse(_ text: String, file: String, sink: DiagnosticSink) -> YAMLValue? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (location, problem) = describe(error, text: text, file: file)
            sink.error("malformed YAML: \(problem)", at: location)
            return nil
        } catch {
            sink.error("malformed YAML: \(error)", at: SourceLocation(path: file, line: 1, column: 1))
            return nil
        }
        guard let root else {
            sink.error("empty file: expected a mapping starting with 'format: 1'",
                       at: SourceLocation(path: file, line: 1, column: 1))
            return nil
        }
        return YAMLValue(node: root, subject: "for the document", file: file, sink: sink)
    }

    /// Reads `format:` from a root mapping; false (after an error) unless supported.
    static func checkFormat(_ map: YAMLMap) -> Bool {
        guard let value = map.required("format") else { return false }
        guard let format = value.int() else { return false }
        guard supportedFormats.contains(format) else {
            let known = supportedFormats.map(String.init).joined(separator: ", ")
            value.error("unsupported format \(format) (this driverdom reads format \(known))")
            return false
        }
        return true
    }

    private static func describe(_ error: YamlError, text: String, file: String) -> (SourceLocation, String) {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(path: file, line: mark.line, column: mark.column)
        }
        func withContext(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return problem }
            let place = "\(context.text) at \(context.mark.line):\(context.mark.column)"
            // libyaml phrases some problems as the second half of a sentence.
            return problem.hasPrefix("but ") ? "\(place), \(problem)" : "\(problem) (\(place))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return (at(mark), withContext(context, problem))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? "?"
            let first = at(context.mark)
            guard let again = repeatedKey(key, after: first, in: text) else {
                return (first, "duplicate key '\(key)' in one mapping")
            }
            return (again, "duplicate key '\(key)' (first at line \(first.line))")
        case .reader(let problem, let offset, _, _):
            return (location(ofOffset: offset ?? 0, in: text, file: file), problem)
        default:
            return (SourceLocation(path: file, line: 1, column: 1), "\(error)")
        }
    }

    /// Where a block-mapping key `key` appears again at the same column as `first`.
    private static func repeatedKey(_ key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        for index in first.line..<lines.count {
            let line = lines[index]
            let scalars = Array(line.unicodeScalars)
            guard scalars.count > indent else { continue }
            let lead = String(String.UnicodeScalarView(scalars[..<indent]))
            let rest = String(String.UnicodeScalarView(scalars[indent...]))
            if lead.allSatisfy({ $0 == " " }), rest.hasPrefix(key + ":") {
                return SourceLocation(path: first.path, line: index + 1, column: first.column)
            }
            if !lead.allSatisfy({ $0 == " " || $0 == "-" }) && !String(line).trimmingSpaces.hasPrefix("#") { return nil }
        }
        return nil
    }

    private static func location(ofOffset offset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for (index, character) in text.enumerated() {
            if index == offset { break }
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return SourceLocation(path: file, line: line, column: column)
    }
}
