// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation

/// Runs `driverdom`: parses the arguments, runs the subcommand, prints errors and
/// exits with the project's status codes (0 ok, 2 user or usage error, 1 internal
/// error, 130 interrupt).
package enum DriverdomTool {
    /// Exit statuses.
    package enum Status: Int32 {
        /// The command did its job.
        case success = 0
        /// A bug or an environment failure the user cannot fix by editing input.
        case internalError = 1
        /// Invalid configuration or command-line usage.
        case userError = 2
        /// Stopped by SIGINT (128 + 2).
        case interrupted = 130
    }

    /// Parses `arguments` (default: the process's), runs the command and exits.
    package static func main(_ arguments: [String]? = nil) async -> Never {
        Interrupt.installHandler()
        let status = await run(arguments ?? Array(CommandLine.arguments.dropFirst()))
        exit(status.rawValue)
    }

    /// Parses and runs `arguments`; prints to stdout/stderr and returns the status.
    package static func run(_ arguments: [String]) async -> Status {
        var command: ParsableCommand
        do {
            command = try Driverdom.parseAsRoot(arguments)
        } catch {
            return report(parseError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return .success
        } catch let failure as CommandFailure {
            printError(failure.description)
            return failure.isUserError ? .userError : .internalError
        } catch let exit as ExitCode {
            return Status(rawValue: exit.rawValue) ?? .internalError
        } catch {
            return report(parseError: error)
        }
    }

    private static func report(parseError error: Error) -> Status {
        let code = Driverdom.exitCode(for: error)
        if code == .success {
            print(Driverdom.fullMessage(for: error))
            return .success
        }
        if code == .validationFailure {
            printError(Driverdom.message(for: error))
            FileHandle.standardError.write(Data((Driverdom.usageString(for: error) + "\n").utf8))
            return .userError
        }
        printError("internal error: \(Driverdom.message(for: error))")
        return .internalError
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data("driverdom: error: \(message)\n".utf8))
    }
}

extension Driverdom {
    /// The usage text of the (sub)command an argument error belongs to, with a hint.
    static func usageString(for error: Error) -> String {
        let full = fullMessage(for: error)
        guard let range = full.range(of: "Usage:") else {
            return "See 'driverdom --help'."
        }
        return String(full[range.lowerBound...])
    }
}
