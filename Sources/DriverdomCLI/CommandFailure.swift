// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// A subcommand's failure, printed as `driverdom: error: Unable to <action>: <reason>`.
public struct CommandFailure: Error, CustomStringConvertible {
    /// What was being done, e.g. `check Images/x.yaml`.
    public var action: String
    /// Why it failed (the library error's description).
    public var reason: String
    /// True for configuration and usage problems (exit 2), false for internal ones (exit 1).
    public var isUserError: Bool

    /// Creates a failure.
    public init(action: String, reason: String, isUserError: Bool) {
        self.action = action
        self.reason = reason
        self.isUserError = isUserError
    }

    /// Wraps `error` for `action`; configuration errors and any error that conforms
    /// to `UserError` (and says so) are user errors.
    public init(action: String, error: Error) {
        self.action = action
        self.reason = String(describing: error)
        if let user = error as? UserError {
            self.isUserError = user.isUserError
        } else {
            self.isUserError = error is ConfigError
        }
    }

    /// `Unable to <action>: <reason>`.
    public var description: String { "Unable to \(action): \(reason)" }
}

/// An error that knows whether it is the user's to fix (exit 2) or ours (exit 1).
/// Modules' error enums conform in the CLI module so the library stays CLI-free.
public protocol UserError: Error {
    /// Whether the user can fix it by changing their input or environment.
    var isUserError: Bool { get }
}
