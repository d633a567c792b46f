// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The identity of a step within one build plan.
public struct StepID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id text, e.g. `compile/sndif` or `fetch/arm64`.
    public let rawValue: String
    /// Makes an id from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: StepID, rhs: StepID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One thing a step's output depends on. Everything that can change the
/// output must be declared here: the cache key is a hash of these values.
public enum StepInput: Hashable, Sendable {
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
    public static func file(_ path: String) -> StepInput { .file(path: path, label: path) }
    /// A compiler or tool flag list, order preserved.
    public static func flags(_ name: String, _ flags: [String]) -> StepInput {
        .value(name: "flags:" + name, value: flags.joined(separator: "\u{1f}"))
    }
    /// A tool's version string (e.g. the first line of `swiftc --version`).
    public static func toolVersion(_ tool: String, _ version: String) -> StepInput {
        .value(name: "tool-version:" + tool, value: version)
    }
    /// A configuration value.
    public static func config(_ key: String, _ value: String) -> StepInput {
        .value(name: "config:" + key, value: value)
    }
}
