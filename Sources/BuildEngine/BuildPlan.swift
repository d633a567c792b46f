// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Copies (part of) a step's output into the build's output folder.
package struct OutputExport: Hashable, Sendable {
    /// The step whose output is exported.
    package var step: StepID
    /// Path inside the step's output ("" for all of it).
    package var path: String
    /// Path inside the output folder ("" for its root).
    package var destination: String

    /// Exports `path` of `step`'s output as `destination`.
    package init(step: StepID, path: String = "", destination: String = "") {
        self.step = step
        self.path = path
        self.destination = destination
    }
}

/// A set of steps plus what goes into the output folder.
package struct BuildPlan: Sendable {
    /// All steps; order does not matter.
    package var steps: [Step]
    /// Step outputs copied to the output folder after a successful build.
    package var exports: [OutputExport]

    /// A plan.
    package init(steps: [Step], exports: [OutputExport] = []) {
        self.steps = steps
        self.exports = exports
    }

    /// The steps in a dependency-respecting order (ties broken by declaration
    /// order). Throws for duplicate ids, unknown dependencies, cycles and
    /// exports of unknown steps.
    package func orderedSteps() throws -> [Step] {
        var byID: [StepID: Int] = [:]
        for (index, step) in steps.enumerated() {
            guard byID[step.id] == nil else { throw BuildEngineError.planHasDuplicateStep(id: step.id.rawValue) }
            byID[step.id] = index
        }
        for step in steps {
            for dependency in step.dependencies where byID[dependency] == nil {
                throw BuildEngineError.planHasUnknownDependency(step: step.id.rawValue, dependency: dependency.rawValue)
            }
        }
        for export in exports where byID[export.step] == nil {
            throw BuildEngineError.exportNamesUnknownStep(step: export.step.rawValue)
        }
        // 0 = unvisited, 1 = on the stack, 2 = done.
        var state = [Int](repeating: 0, count: steps.count)
        var order: [Step] = []
        var stack: [StepID] = []
        func visit(_ index: Int) throws {
            if state[index] == 2 { return }
            if state[index] == 1 {
                let id = steps[index].id
                let cycle = stack.drop(while: { $0 != id }).map(\.rawValue) + [id.rawValue]
                throw BuildEngineError.planHasCycle(steps: cycle)
            }
            state[index] = 1
            stack.append(steps[index].id)
            for dependency in steps[index].dependencies { try visit(byID[dependency]!) }
            stack.removeLast()
            state[index] = 2
            order.append(steps[index])
        }
        for index in steps.indices { try visit(index) }
        return order
    }

    /// The given steps and everything that depends on them, transitively —
    /// the steps a `--layer` rebuild may rerun.
    package func dependants(of roots: Set<StepID>) -> Set<StepID> {
        var result = roots
        var changed = true
        while changed {
            changed = false
            for step in steps where !result.contains(step.id) && step.dependencies.contains(where: result.contains) {
                result.insert(step.id)
                changed = true
            }
        }
        return result
    }
}

/// How a cache entry is checked before it is used.
package enum CacheVerification: Sendable {
    /// Manifest present, file list, kinds, sizes and symlink targets match (fast).
    case sizes
    /// As `sizes`, and every file is re-hashed (`--verify`).
    case full
}

/// Everything a build needs besides the plan.
package struct BuildOptions: Sendable {
    /// The cache folder (created if missing).
    package var cacheDirectory: String
    /// The output folder, replaced atomically after a successful build; nil: no output.
    package var outputDirectory: String?
    /// Maximum steps running at once.
    package var jobs: Int
    /// Steps that run even on a cache hit (`--layer`).
    package var forcedSteps: Set<StepID>
    /// How cache entries are checked.
    package var verification: CacheVerification
    /// Runs external commands for the steps.
    package var tools: any ToolRunner
    /// Receives progress events.
    package var reporter: any BuildReporter
    /// Cancel it (e.g. from `InterruptTrap`) to interrupt the build.
    package var cancellation: CancellationToken

    /// Options with defaults: jobs = active processor count, nothing forced,
    /// size verification, real tools, no reporting.
    package init(cacheDirectory: String, outputDirectory: String? = nil,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                forcedSteps: Set<StepID> = [], verification: CacheVerification = .sizes,
                tools: (any ToolRunner)? = nil, reporter: any BuildReporter = NullReporter(),
                cancellation: CancellationToken = CancellationToken()) {
        self.cacheDirectory = cacheDirectory
        self.outputDirectory = outputDirectory
        self.jobs = max(1, jobs)
        self.forcedSteps = forcedSteps
        self.verification = verification
        self.tools = tools ?? ProcessToolRunner(cancellation: cancellation)
        self.reporter = reporter
        self.cancellation = cancellation
    }
}

/// The outcome of `BuildEngine.run`.
package struct BuildResult: Sendable {
    /// How the build ended.
    package enum Status: Sendable {
        /// Every step succeeded and the output (if any) was promoted.
        case succeeded
        /// A step (nil: planning or output promotion) failed with `error`.
        case failed(step: StepID?, error: BuildEngineError)
        /// Interrupted; running tools were stopped and temporaries removed.
        case interrupted
    }

    /// How the build ended.
    package var status: Status
    /// Steps whose action ran, in finishing order.
    package var stepsRun: [StepID]
    /// Steps taken from the cache, in finishing order.
    package var stepsCached: [StepID]
    /// Each finished step's outcome.
    package var outcomes: [StepID: StepOutcome]
    /// Each finished step's output content hash.
    package var outputDigests: [StepID: String]
    /// Each finished step's cache key.
    package var keys: [StepID: String]
    /// Each finished step's output folder in the cache (read-only).
    package var outputs: [StepID: URL]
    /// Wall-clock duration.
    package var seconds: Double

    /// The conventional process exit code: 0 succeeded, 1 failed, 130 interrupted.
    package var exitCode: Int32 {
        switch status {
        case .succeeded: return 0
        case .failed: return 1
        case .interrupted: return 130
        }
    }
}
