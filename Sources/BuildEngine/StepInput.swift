// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The identity of a step within one build plan.
package struct StepID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id text, e.g. `compile/sndif` or `fetch/arm64`.
    package let rawValue: String
    /// Makes an id from its text.
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { rawValue = value }
    package var description: String { rawValue }
    package static func < (lhs: StepID, rhs: StepID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One thing a step's output depends on. Everything that can change the
/// output must be declared here: the cache key is a hash of these values.
package enum StepInput: Hashable, Sendable {
    /// A file whose content is hashed. `label` names it in the key (use a
    /// repository-relative name so keys do not depend on the checkout path).
    case file(path: String, label: String)
    /// Every regular file and symlink under a folder, recursively: relative
    /// paths, executable bits, symlink targets and contents are hashed.
    case tree(path: String, label: String)
    /// A literal value: a compiler flag, a tool version, a config value, a
    /// locked package set. `name` says what it is (`flag`, `swiftc-version`, ...).
    case value(name: String, value: String)
    /// The output of another step, by its output content hash. This also makes
    /// that step a dependency; its output folder is readable by the action.
    case output(of: StepID)

    /// A file input labelled with its path as given.
    package static func file(_ path: String) -> StepInput { .file(path: path, label: path) }
    /// A compiler or tool flag list, order preserved.
    package static func flags(_ name: String, _ flags: [String]) -> StepInput {
        .value(name: "flags:" + name, value: flags.joined(separator: "\u{1f}"))
    }
    /// A tool's version string (e.g. the first line of `swiftc --version`).
    package static func toolVersion(_ tool: String, _ version: String) -> StepInput {
        .value(name: "tool-version:" + tool, value: version)
    }
    /// A configuration value.
    package static func config(_ key: String, _ value: String) -> StepInput {
        .value(name: "config:" + key, value: value)
    }
}
