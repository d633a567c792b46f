// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// A subcommand's failure, printed as `driverdom: error: Unable to <action>: <reason>`.
package struct CommandFailure: Error, CustomStringConvertible {
    /// What was being done, e.g. `check Images/x.yaml`.
    package var action: String
    /// Why it failed (the library error's description).
    package var reason: String
    /// True for configuration and usage problems (exit 2), false for internal ones (exit 1).
    package var isUserError: Bool

    /// Creates a failure.
    package init(action: String, reason: String, isUserError: Bool) {
        self.action = action
        self.reason = reason
        self.isUserError = isUserError
    }

    /// Wraps `error` for `action`; configuration errors and any error that conforms
    /// to `UserError` (and says so) are user errors.
    package init(action: String, error: Error) {
        self.action = action
        self.reason = String(describing: error)
        if let user = error as? UserError {
            self.isUserError = user.isUserError
        } else {
            self.isUserError = error is ConfigError
        }
    }

    /// `Unable to <action>: <reason>`.
    package var description: String { "Unable to \(action): \(reason)" }
}

/// An error that knows whether it is the user's to fix (exit 2) or ours (exit 1).
/// Modules' error enums conform in the CLI module so the library stays CLI-free.
package protocol UserError: Error {
    /// Whether the user can fix it by changing their input or environment.
    var isUserError: Bool { get }
}
