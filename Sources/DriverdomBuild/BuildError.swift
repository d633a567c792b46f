// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// What went wrong while planning or running an image build.
///
/// Cases named after the failed operation carry the offending values; the CLI
/// maps ``isUserError`` cases to exit status 2 and all others to 1.
package enum BuildError: Error, Equatable, CustomStringConvertible {
    /// `--layer NAME` named a layer the image does not use.
    case selectLayerFailed(name: String, available: [String])
    /// `--arch` asked for an architecture the board cannot run.
    case selectArchitectureFailed(requested: String, board: String, boardArchitecture: String)
    /// `swift package dump-package` output could not be read.
    case readPackageManifestFailed(reason: String)
    /// An executable named by a layer or the init is not a target of Package.swift.
    case findExecutableTargetFailed(name: String, layer: String?)
    /// A target's dependency names a target Package.swift does not declare.
    case resolveTargetDependencyFailed(target: String, dependency: String)
    /// A source folder or file could not be read while hashing it.
    case hashSourcesFailed(path: String, reason: String)
    /// Kernel modules a layer declares are not in the image's kernel.
    case resolveKernelModulesFailed(modules: [String], reason: String)
    /// The service table could not be written (a value the format cannot carry).
    case writeServiceTableFailed(reason: String)
    /// A place delivered a locked package whose SHA256 is not the lock's, and no place
    /// had the locked bytes: the lock was edited, or the archive changed under it.
    case verifyLockedPackagesFailed(reason: String)
    /// Target packages could not be resolved, locked or fetched.
    case fetchPackagesFailed(reason: String)
    /// The lock file does not match the image (or is missing while offline).
    case readLockFailed(reason: String)
    /// An external tool (swift, swiftc) could not be run or failed.
    case runToolFailed(command: [String], status: Int32, output: String)
    /// Two planned steps got the same identifier (a planner bug).
    case planStepFailed(id: String, reason: String)
    /// A step of the build failed; `output` is the tool's own error output.
    case stepFailed(step: String, reason: String)
    /// The output folder could not be updated.
    case promoteOutputFailed(path: String, reason: String)

    /// Whether the error is the user's to fix (exit status 2) rather than a failure (1).
    package var isUserError: Bool {
        switch self {
        case .selectLayerFailed, .selectArchitectureFailed, .findExecutableTargetFailed, .resolveKernelModulesFailed, .writeServiceTableFailed, .readLockFailed,
             .verifyLockedPackagesFailed: true
        default: false
        }
    }

    package var description: String {
        switch self {
        case let .selectLayerFailed(name, available):
            "layer '\(name)' is not part of this image; use one of: \(available.joined(separator: ", "))"
        case let .selectArchitectureFailed(requested, board, boardArchitecture):
            "architecture '\(requested)' does not match board '\(board)' (\(boardArchitecture)); drop --arch or pick a board for it"
        case let .readPackageManifestFailed(reason):
            "cannot read the package manifest (swift package dump-package): \(reason)"
        case let .findExecutableTargetFailed(name, layer):
            if let layer {
                "layer '\(layer)' names backend executable '\(name)', which is not a target in Package.swift; add it or fix backend.executable"
            } else {
                "executable target '\(name)' is not declared in Package.swift"
            }
        case let .resolveTargetDependencyFailed(target, dependency):
            "target '\(target)' depends on '\(dependency)', which Package.swift does not declare"
        case let .hashSourcesFailed(path, reason):
            "cannot hash sources at \(path): \(reason)"
        case let .resolveKernelModulesFailed(modules, reason):
            "cannot resolve kernel modules \(modules.joined(separator: ", ")): \(reason); fix the layer's modules list or the kernel package"
        case let .writeServiceTableFailed(reason):
            "cannot write the DomD service table: \(reason); change the layer option or device fact it names"
        case let .verifyLockedPackagesFailed(reason):
            "refusing locked packages: \(reason)"
        case let .fetchPackagesFailed(reason):
            "cannot fetch target packages: \(reason)"
        case let .readLockFailed(reason):
            reason
        case let .runToolFailed(command, status, output):
            "'\(command.joined(separator: " "))' exited with status \(status)\(output.isEmpty ? "" : ":\n\(output)")"
        case let .planStepFailed(id, reason):
            "cannot plan step \(id): \(reason)"
        case let .stepFailed(step, reason):
            "step \(step) failed: \(reason)"
        case let .promoteOutputFailed(path, reason):
            "cannot write output \(path): \(reason); the previous output is unchanged"
        }
    }
}

extension BuildError: InputError {
    /// The engine reports a step that threw a user error as refused input (exit 2).
    package var isInputError: Bool { isUserError }
}
