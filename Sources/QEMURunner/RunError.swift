// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Why running an image under QEMU failed.
package enum RunError: Error, Equatable, CustomStringConvertible {
    /// The machine description cannot boot (bad memory split, a comma in bootargs, …).
    case invalidMachine(String)
    /// A boot file the run needs does not exist or cannot be read.
    case missingArtifact(String)
    /// The emulator program could not be found on PATH.
    case emulatorNotFound(String)
    /// The emulator could not be started.
    case launchFailed(program: String, reason: String)
    /// The console did not show the expected end within the time limit.
    case timedOut(seconds: Double, lastLine: String?)

    package var description: String {
        switch self {
        case .invalidMachine(let why):
            return "invalid machine: \(why)"
        case .missingArtifact(let path):
            return "boot file \(path) is missing; run `driverdom build` first"
        case .emulatorNotFound(let program):
            return "\(program) not found on PATH; install Debian's qemu-system-arm (.ci/install-deps does)"
        case .launchFailed(let program, let reason):
            return "could not start \(program): \(reason)"
        case .timedOut(let seconds, let lastLine):
            let tail = lastLine.map { "; last console line: \($0)" } ?? "; the console stayed silent"
            return "no verdict after \(String(format: "%.0f", seconds)) s\(tail)"
        }
    }
}
