// SPDX-License-Identifier: Apache-2.0

/// A position in a configuration file: the file's path and a 1-based line and column.
package struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file's path as the loader opened it (absolute once a repository is found).
    package var path: String
    /// 1-based line number.
    package var line: Int
    /// 1-based column number, counted in Unicode scalars as the YAML parser counts them.
    package var column: Int

    /// Creates a location.
    package init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// `path:line:column`.
    package var description: String { "\(path):\(line):\(column)" }

    /// Orders by path, then line, then column.
    package static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }

    /// The same location with `path` shown relative to `base` when it lies under it.
    package func relative(to base: String?) -> SourceLocation {
        guard let base, !base.isEmpty else { return self }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard path.hasPrefix(prefix) else { return self }
        var copy = self
        copy.path = String(path.dropFirst(prefix.count))
        return copy
    }
}

/// One configuration violation, printed as `path:line:column: error: message`.
package struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Where the offending key or value is.
    package var location: SourceLocation
    /// What is wrong, naming the offending value.
    package var message: String

    /// Creates a diagnostic.
    package init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `path:line:column: error: message`.
    package var description: String { "\(location): error: \(message)" }

    /// The printed form with the path shown relative to `base` when it lies under it.
    package func formatted(relativeTo base: String?) -> String {
        Diagnostic(location: location.relative(to: base), message: message).description
    }

    /// Orders by location, then message, so output is stable.
    package static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        return lhs.message < rhs.message
    }
}

/// Collects diagnostics while files are decoded; the loader sorts them at the end.
final class DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []

    /// Records a violation at `location`.
    func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(location: location, message: message))
    }

    /// All collected diagnostics, sorted and without duplicates.
    var sorted: [Diagnostic] { Array(Set(diagnostics)).sorted() }

    /// The number of diagnostics so far; lets a decoder see whether a step added any.
    var count: Int { diagnostics.count }
}
