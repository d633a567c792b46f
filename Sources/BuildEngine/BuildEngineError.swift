// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Every failure the build engine reports. Each case names the operation that
/// failed and carries the offending values; `description` says what to do.
package enum BuildEngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two steps in one plan share an id.
    case planHasDuplicateStep(id: String)
    /// A step depends on a step id that is not in the plan.
    case planHasUnknownDependency(step: String, dependency: String)
    /// The steps form a cycle (ids listed in cycle order).
    case planHasCycle(steps: [String])
    /// An output export names a step that is not in the plan.
    case exportNamesUnknownStep(step: String)
    /// An input file could not be read for hashing.
    case inputUnreadable(step: String, path: String, reason: String)
    /// An input file changed while the step that reads it was running.
    case inputChangedDuringStep(step: String, path: String)
    /// A step's action wrote something that is neither a file, folder nor symlink.
    case outputHasUnsupportedFile(step: String, path: String)
    /// A file-system operation on the cache or output folder failed.
    case fileOperationFailed(operation: String, path: String, errno: Int32)
    /// The cache is locked exclusively by another process (e.g. `clean --cache`).
    case cacheBusy(path: String)
    /// An external tool exited with a non-zero status or was killed by a signal.
    case toolFailed(command: String, status: Int32, signalled: Bool, outputTail: String)
    /// An external tool could not be started at all.
    case toolLaunchFailed(command: String, errno: Int32)
    /// A step's action threw an error (the message of the underlying error).
    case stepActionFailed(step: String, message: String)
    /// A step's action found the user's input wrong (an ``InputError`` whose
    /// `isInputError` is true): a command-line tool exits 2 for it, not 1.
    case stepRefusedInput(step: String, message: String)
    /// The build was interrupted (SIGINT/SIGTERM or a cancelled token).
    case interrupted
    /// A scripted tool runner had no result left for a command.
    case scriptExhausted(command: String)
    /// An export path does not exist in its step's output.
    case exportPathMissing(step: String, path: String)

    package var description: String {
        switch self {
        case .planHasDuplicateStep(let id):
            return "The build plan defines step '\(id)' twice; give every step a unique id."
        case .planHasUnknownDependency(let step, let dependency):
            return "Step '\(step)' depends on '\(dependency)', which is not in the build plan; add that step or remove the dependency."
        case .planHasCycle(let steps):
            return "The build plan has a dependency cycle: \(steps.joined(separator: " -> ")); break the cycle."
        case .exportNamesUnknownStep(let step):
            return "An output export names step '\(step)', which is not in the build plan."
        case .inputUnreadable(let step, let path, let reason):
            return "Step '\(step)' cannot read its input '\(path)': \(reason). Check that the file exists and is readable."
        case .inputChangedDuringStep(let step, let path):
            return "Input '\(path)' changed while step '\(step)' was running, so its output was discarded; run the build again."
        case .outputHasUnsupportedFile(let step, let path):
            return "Step '\(step)' produced '\(path)', which is not a regular file, folder or symlink; steps may only produce those."
        case .fileOperationFailed(let operation, let path, let errno):
            return "\(operation) failed for '\(path)': \(String(cString: strerror(errno))) (errno \(errno)). Check free space and permissions."
        case .cacheBusy(let path):
            return "The build cache '\(path)' is in use by another driverdom process; wait for it to finish and retry."
        case .toolFailed(let command, let status, let signalled, let tail):
            let how = signalled ? "was killed by signal \(status)" : "exited with status \(status)"
            return "Command \(command) \(how).\n\(tail)"
        case .toolLaunchFailed(let command, let errno):
            return "Could not start \(command): \(String(cString: strerror(errno))). Check that the tool is installed and on PATH."
        case .stepActionFailed(let step, let message), .stepRefusedInput(let step, let message):
            return "Step '\(step)' failed: \(message)"
        case .interrupted:
            return "The build was interrupted; no partial result was kept."
        case .scriptExhausted(let command):
            return "The scripted tool runner has no result for \(command); add one to the script."
        case .exportPathMissing(let step, let path):
            return "Step '\(step)' has no output '\(path)' to export; check the export path."
        }
    }
}

/// An error a step's action throws that may be the user's to fix (a bad input file)
/// rather than the build's; the engine reports those as ``BuildEngineError/stepRefusedInput(step:message:)``.
package protocol InputError: Error {
    /// Whether the user's input caused it.
    var isInputError: Bool { get }
}
