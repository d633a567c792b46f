// SPDX-License-Identifier: Apache-2.0

/// One collection of boards and layers searched before the built-in ones: a
/// folder that may hold `Boards/<name>.yaml` and `Layers/<name>/layer.yaml`,
/// named by an image's `includes:`, by a product repo's `driverdom.yaml`
/// (`includes:`), or being the folder of that `driverdom.yaml` itself.
///
/// A name found in two folders is an error naming both files, unless exactly
/// one of them lists the name under `overrides:`; that one wins.
package struct SearchFolder: Sendable, Hashable {
    /// The folder's absolute, standardized path.
    package var path: String
    /// Board and layer names this folder wins for when another folder has them too.
    package var overrides: [String]
    /// Where the folder was named (an `includes:` item or the `driverdom.yaml`), for messages.
    package var namedAt: SourceLocation

    /// Creates a search folder.
    package init(path: String, overrides: [String] = [], namedAt: SourceLocation) {
        self.path = Repository.absolute(path)
        self.overrides = overrides
        self.namedAt = namedAt
    }
}

/// The answer of a search for one board or layer file.
enum SearchResult: Equatable {
    /// The one file (or the file of the folder that overrides the others).
    case found(String)
    /// No folder holds it; the folders searched, in order.
    case missing(searched: [String])
    /// Two or more folders hold it and none (or more than one) overrides the others.
    case ambiguous([String])
}
