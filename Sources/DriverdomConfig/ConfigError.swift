// SPDX-License-Identifier: Apache-2.0

/// Why loading a board, layer or image configuration failed.
///
/// Every case is a user error (the CLI exits with status 2 for all of them).
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The files were read but violate the schema or the cross-file rules.
    /// Holds every violation, sorted by file, line and column.
    case validationFailed([Diagnostic])
    /// The configuration file itself could not be read.
    case readFailed(path: String, reason: String)
    /// No folder holding both `Boards/` and `Layers/` was found above `start`.
    case repositoryNotFound(start: String)
    /// A board or layer asked for by name has no file in the repository.
    case notFound(kind: String, name: String, path: String)

    /// What failed, which value, and what to do.
    public var description: String {
        switch self {
        case .validationFailed(let diagnostics):
            let count = diagnostics.count
            return "\(count) configuration error\(count == 1 ? "" : "s")"
        case .readFailed(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .repositoryNotFound(let start):
            return "no folder holding both Boards/ and Layers/ above '\(start)';"
                + " run from a driverdom checkout or pass a file inside one"
        case .notFound(let kind, let name, let path):
            return "\(kind) '\(name)' not found: no file '\(path)'"
        }
    }
}
