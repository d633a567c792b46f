// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A unit of work in the build graph: declared inputs, and an action that
/// writes its outputs into `StepContext.outputDirectory`. The action must be
/// a pure function of the declared inputs (plus `kind`/`kindVersion`): the
/// engine skips it when an output for the same key is in the cache.
package struct Step: Sendable {
    /// Unique id within the plan (also used by `--layer` selection).
    package let id: StepID
    /// What the step does, for humans: "Compile sndif-backend for arm64".
    package let description: String
    /// The kind of step (`compile`, `stage`, ...); part of the key.
    package let kind: String
    /// Bump when the action's code changes so old cache entries stop matching.
    package let kindVersion: String
    /// Inputs in a meaningful order (the order is part of the key).
    package let inputs: [StepInput]
    /// Steps that must finish first without their output being an input
    /// (rare; prefer `.output(of:)`, which also keys on the content).
    package let orderAfter: [StepID]
    /// Produces the outputs. Throw on failure; tool errors from
    /// `context.tools` carry the tool's own output.
    package let action: @Sendable (StepContext) throws -> Void

    /// Defines a step.
    package init(id: StepID, description: String, kind: String, kindVersion: String = "1",
                inputs: [StepInput], orderAfter: [StepID] = [],
                action: @escaping @Sendable (StepContext) throws -> Void) {
        self.id = id
        self.description = description
        self.kind = kind
        self.kindVersion = kindVersion
        self.inputs = inputs
        self.orderAfter = orderAfter
        self.action = action
    }

    /// Every step this one waits for: `.output(of:)` inputs and `orderAfter`.
    package var dependencies: [StepID] {
        var seen = Set<StepID>()
        var result: [StepID] = []
        for input in inputs {
            if case .output(let dep) = input, seen.insert(dep).inserted { result.append(dep) }
        }
        for dep in orderAfter where seen.insert(dep).inserted { result.append(dep) }
        return result
    }
}

/// What a running action may use.
package struct StepContext: Sendable {
    /// The step being run.
    package let step: StepID
    /// An empty folder to write the outputs into (not yet visible in the cache).
    package let outputDirectory: URL
    /// A scratch folder for intermediates; deleted after the step.
    package let scratchDirectory: URL
    /// Runs external commands (real, dry-run or recording, as the caller chose);
    /// reports command lines and honours interruption.
    package let tools: any ToolRunner
    let dependencyOutputs: [StepID: URL]
    let reporter: any BuildReporter
    let cancellation: CancellationToken

    /// The read-only output folder of a dependency declared with `.output(of:)`
    /// or `orderAfter`. Never modify it: it is the cache entry itself.
    package func outputDirectory(of dependency: StepID) -> URL {
        guard let url = dependencyOutputs[dependency] else {
            preconditionFailure("step \(step) reads the output of \(dependency), which it does not declare as an input")
        }
        return url
    }

    /// Copies a file, symlink or folder tree (e.g. a dependency's output)
    /// to `destination`, keeping symlinks as symlinks and permission bits;
    /// missing parent folders are created. Use it instead of modifying a
    /// dependency's output in place.
    package func copyTree(_ source: URL, to destination: URL) throws {
        try TreeCopier.copy(source.path, to: destination.path)
    }

    /// Reports progress of a long operation (e.g. download bytes).
    package func progress(done: Int64, total: Int64?) {
        reporter.report(.progress(step: step, done: done, total: total))
    }

    /// Reports a message line for this step (shown in verbose mode).
    package func note(_ message: String) {
        reporter.report(.note(step: step, message: message))
    }
}
