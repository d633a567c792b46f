// SPDX-License-Identifier: Apache-2.0
import Yams

/// A YAML mapping being decoded. Keys outside the allowed set are reported when it
/// is created; `required` reports a missing key at the mapping's position.
struct YAMLMap {
    private var values: [String: Node] = [:]
    private var keyNodes: [String: Node] = [:]
    let node: Node
    /// How messages name this mapping, e.g. `guest 'DomU'` or `device 'sound0'`.
    let context: String
    let file: String
    let sink: DiagnosticSink

    init(mapping: Node.Mapping, node: Node, context: String, keys: [String], file: String, sink: DiagnosticSink) {
        self.node = node
        self.context = context
        self.file = file
        self.sink = sink
        for (key, value) in mapping {
            let keyLocation = YAMLValue.location(of: key, in: file)
            guard case .scalar(let scalar) = key else {
                sink.error("expected a string key in \(context)", at: keyLocation)
                continue
            }
            guard keys.contains(scalar.string) else {
                let accepted = keys.joined(separator: ", ")
                sink.error("unknown key '\(scalar.string)' in \(context) (expected one of: \(accepted))",
                           at: keyLocation)
                continue
            }
            values[scalar.string] = value
            keyNodes[scalar.string] = key
        }
    }

    var location: SourceLocation { YAMLValue.location(of: node, in: file) }

    /// Whether `key` is present (with any value, even null).
    func has(_ key: String) -> Bool { values[key] != nil }

    /// The value of an optional key; nil when absent or explicitly null.
    func optional(_ key: String) -> YAMLValue? {
        guard let node = values[key] else { return nil }
        let value = YAMLValue(node: node, subject: "for '\(key)'", file: file, sink: sink)
        return value.isNull ? nil : value
    }

    /// The value of a required key; reports it missing (or null) and returns nil.
    func required(_ key: String) -> YAMLValue? {
        guard let node = values[key] else {
            sink.error("missing required key '\(key)' in \(context)", at: location)
            return nil
        }
        let value = YAMLValue(node: node, subject: "for '\(key)'", file: file, sink: sink)
        if value.isNull {
            value.error("missing value for required key '\(key)' in \(context)")
            return nil
        }
        return value
    }

    /// Where a present key itself is written (for errors about the key).
    func keyLocation(_ key: String) -> SourceLocation {
        keyNodes[key].map { YAMLValue.location(of: $0, in: file) } ?? location
    }
}
