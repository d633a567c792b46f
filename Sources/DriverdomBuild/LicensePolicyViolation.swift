// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DriverdomConfig

/// The license policy refused components; the build fails as a configuration error.
package struct LicensePolicyViolation: InputError, CustomStringConvertible {
    /// Every refusal, located.
    package var diagnostics: [Diagnostic]

    /// The policy or the packages are the user's to change: the engine reports a refused input (exit 2).
    package var isInputError: Bool { true }

    /// First line of the description; the CLI recognises a failed step by it.
    package static let marker = "the license policy refuses components of this image:"

    /// The marker line, then one `path:line:col: error: message` line per refusal.
    package var description: String {
        ([Self.marker] + diagnostics.map(\.description)).joined(separator: "\n")
    }

    /// The diagnostic lines of a failed step's message, nil if it is not a policy refusal.
    package static func diagnosticLines(inStepMessage message: String) -> [String]? {
        guard message.hasPrefix(marker) else { return nil }
        return message.split(separator: "\n").dropFirst().map(String.init)
    }
}
