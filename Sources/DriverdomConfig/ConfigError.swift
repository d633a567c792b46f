// SPDX-License-Identifier: Apache-2.0

/// Why loading a board, layer or image configuration failed.
///
/// Every case is a user error (the CLI exits with status 2 for all of them).
package enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The files were read but violate the schema or the cross-file rules.
    /// Holds every violation, sorted by file, line and column.
    case validationFailed([Diagnostic])
    /// The configuration file itself could not be read.
    case readFailed(path: String, reason: String)
    /// No folder holding both `Boards/` and `Layers/` (or `driverdom.yaml`) was found above `start`, and no built-in one.
    case repositoryNotFound(start: String)
    /// A board or layer asked for by name has no file in the repository.
    case notFound(kind: String, name: String, path: String)
    /// A product repo's `driverdom.yaml` was found but not the built-in boards and layers.
    case builtinNotFound(needed: String)

    /// What failed, which value, and what to do.
    package var description: String {
        switch self {
        case .validationFailed(let diagnostics):
            let count = diagnostics.count
            return "\(count) configuration error\(count == 1 ? "" : "s")"
        case .readFailed(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .repositoryNotFound(let start):
            return "no folder holding both Boards/ and Layers/ above '\(start)';"
                + " run from a driverdom checkout, a product repo with a \(ProductManifest.fileName),"
                + " or install driverdom with its built-in boards (Scripts/install.sh)"
        case .notFound(let kind, let name, let path):
            return "\(kind) '\(name)' not found: no file '\(path)'"
        case .builtinNotFound(let needed):
            return "'\(needed)' needs the built-in boards and layers, but none were found next to this driverdom"
                + " (looked in $DRIVERDOM_HOME, <bin>/../share/driverdom and the folders above the binary);"
                + " reinstall with Scripts/install.sh or set DRIVERDOM_HOME"
        }
    }
}
