// SPDX-License-Identifier: Apache-2.0

/// A small reader of device-tree source, enough for the upstream excerpts, the
/// generated files and `dtc -O dts` output: nodes, labels, properties whose values
/// are cell lists (`<...>`, kept as raw tokens) and strings. No preprocessor, no
/// expressions; `/delete-node/` and friends are not supported.
struct DeviceTreeSource {
    /// A property value.
    enum Value: Equatable {
        case cells([String])
        case string(String)
    }

    /// A node and everything under it.
    final class Node {
        let name: String
        let path: String
        var labels: [String] = []
        var properties: [(name: String, values: [Value])] = []
        var children: [Node] = []
        init(name: String, path: String) {
            self.name = name
            self.path = path
        }

        func property(_ name: String) -> [Value]? { properties.first { $0.name == name }?.values }

        /// The node and all its descendants, in document order.
        var subtree: [Node] { [self] + children.flatMap(\.subtree) }

        /// All cell tokens of a property, concatenated.
        func cells(_ name: String) -> [String] {
            (property(name) ?? []).flatMap { value -> [String] in
                if case .cells(let tokens) = value { return tokens }
                return []
            }
        }

        /// All strings of a property.
        func strings(_ name: String) -> [String] {
            (property(name) ?? []).compactMap { value -> String? in
                if case .string(let text) = value { return text }
                return nil
            }
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// The root node (`/`), merged over every top-level `/ { ... };` block.
    let root: Node

    init(_ text: String) throws {
        let tokens = Self.tokenize(Self.stripComments(text))
        root = Node(name: "/", path: "/")
        var index = 0
        while index < tokens.count {
            if tokens[index] == "/", index + 1 < tokens.count, tokens[index + 1] == "{" {
                index += 2
                try Self.parseBody(tokens, &index, into: root)
                guard index < tokens.count, tokens[index] == ";" else { throw ParseError(description: "missing ';' after root") }
                index += 1
            } else {
                while index < tokens.count, tokens[index] != ";" { index += 1 }
                index += 1
            }
        }
    }

    /// Every node by path.
    var nodesByPath: [String: Node] {
        Dictionary(root.subtree.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every labelled node by label.
    var nodesByLabel: [String: Node] {
        Dictionary(root.subtree.flatMap { node in node.labels.map { ($0, node) } },
                   uniquingKeysWith: { first, _ in first })
    }

    /// Parses `0x1f` or `31`.
    static func number(_ token: String) -> UInt64? {
        if token.hasPrefix("0x") || token.hasPrefix("0X") { return UInt64(token.dropFirst(2), radix: 16) }
        return UInt64(token)
    }

    private static func parseBody(_ tokens: [String], _ index: inout Int, into node: Node) throws {
        while index < tokens.count {
            let token = tokens[index]
            if token == "}" {
                index += 1
                return
            }
            var labels: [String] = []
            var name = token
            while name.hasSuffix(":") {
                labels.append(String(name.dropLast()))
                index += 1
                name = tokens[index]
            }
            index += 1
            guard index < tokens.count else { throw ParseError(description: "unexpected end after \(name)") }
            switch tokens[index] {
            case "{":
                index += 1
                let path = node.path == "/" ? "/" + name : node.path + "/" + name
                let child = node.children.first { $0.name == name } ?? {
                    let created = Node(name: name, path: path)
                    node.children.append(created)
                    return created
                }()
                child.labels += labels
                try parseBody(tokens, &index, into: child)
                guard index < tokens.count, tokens[index] == ";" else { throw ParseError(description: "missing ';' after node \(path)") }
                index += 1
            case ";":
                node.properties.append((name, []))
                index += 1
            case "=":
                index += 1
                node.properties.append((name, try parseValues(tokens, &index)))
            default:
                throw ParseError(description: "unexpected '\(tokens[index])' after '\(name)'")
            }
        }
    }

    private static func parseValues(_ tokens: [String], _ index: inout Int) throws -> [Value] {
        var values: [Value] = []
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case ";":
                return values
            case ",":
                continue
            case "<":
                var cells: [String] = []
                while index < tokens.count, tokens[index] != ">" {
                    cells.append(tokens[index])
                    index += 1
                }
                index += 1
                values.append(.cells(cells))
            default:
                if token.hasPrefix("\"") {
                    values.append(.string(String(token.dropFirst().dropLast())))
                } else {
                    values.append(.cells([token]))
                }
            }
        }
        throw ParseError(description: "property value not terminated by ';'")
    }

    private static func stripComments(_ text: String) -> String {
        var result = ""
        let iterator = Array(text)
        var index = 0
        var inString = false
        while index < iterator.count {
            let char = iterator[index]
            if inString {
                result.append(char)
                if char == "\"" { inString = false }
                index += 1
            } else if char == "\"" {
                inString = true
                result.append(char)
                index += 1
            } else if char == "/", index + 1 < iterator.count, iterator[index + 1] == "*" {
                index += 2
                while index + 1 < iterator.count, !(iterator[index] == "*" && iterator[index + 1] == "/") { index += 1 }
                index += 2
                result.append(" ")
            } else if char == "/", index + 1 < iterator.count, iterator[index + 1] == "/" {
                while index < iterator.count, iterator[index] != "\n" { index += 1 }
            } else {
                result.append(char)
                index += 1
            }
        }
        return result
    }

    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inValue = false
        var chars = Array(text)[...]
        func flush() {
            if !current.isEmpty { tokens.append(current) }
            current = ""
        }
        while let char = chars.first {
            chars = chars.dropFirst()
            if char == "\"" {
                flush()
                var string = "\""
                while let next = chars.first {
                    chars = chars.dropFirst()
                    string.append(next)
                    if next == "\"" { break }
                }
                tokens.append(string)
            } else if char.isWhitespace {
                flush()
            } else if "{}=<>;".contains(char) || (inValue && char == ",") {
                flush()
                tokens.append(String(char))
                if char == "=" { inValue = true }
                if char == ";" { inValue = false }
            } else {
                current.append(char)
            }
        }
        flush()
        return tokens
    }
}
