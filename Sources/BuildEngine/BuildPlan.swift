// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Copies (part of) a step's output into the build's output folder.
public struct OutputExport: Hashable, Sendable {
    /// The step whose output is exported.
    public var step: StepID
    /// Path inside the step's output ("" for all of it).
    public var path: String
    /// Path inside the output folder ("" for its root).
    public var destination: String

    /// Exports `path` of `step`'s output as `destination`.
    public init(step: StepID, path: String = "", destination: String = "") {
        self.step = step
        self.path = path
        self.destination = destination
    }
}

/// A set of steps plus what goes into the output folder.
public struct BuildPlan: Sendable {
    /// All steps; order does not matter.
    public var steps: [Step]
    /// Step outputs copied to the output folder after a successful build.
    public var exports: [OutputExport]

    /// A plan.
    public init(steps: [Step], exports: [OutputExport] = []) {
        self.steps = steps
        self.exports = exports
    }

    /// The steps in a dependency-respecting order (ties broken by declaration
    /// order). Throws for duplicate ids, unknown dependencies, cycles and
    /// exports of unknown steps.
    public func orderedSteps() throws -> [Step] {
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
    public func dependants(of roots: Set<StepID>) -> Set<StepID> {
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
public enum CacheVerification: Sendable {
    /// Manifest present, file list, kinds, sizes and symlink targets match (fast).
    case sizes
    /// As `sizes`, and every file is re-hashed (`--verify`).
    case full
}

/// Everything a build needs besides the plan.
public struct BuildOptions: Sendable {
    /// The cache folder (created if missing).
    public var cacheDirectory: String
    /// The output folder, replaced atomically after a successful build; nil: no output.
    public var outputDirectory: String?
    /// Maximum steps running at once.
    public var jobs: Int
    /// Steps that run even on a cache hit (`--layer`).
    public var forcedSteps: Set<StepID>
    /// How cache entries are checked.
    public var verification: CacheVerification
    /// Runs external commands for the steps.
    public var tools: any ToolRunner
    /// Receives progress events.
    public var reporter: any BuildReporter
    /// Cancel it (e.g. from `InterruptTrap`) to interrupt the build.
    public var cancellation: CancellationToken

    /// Options with defaults: jobs = active processor count, nothing forced,
    /// size verification, real tools, no reporting.
    public init(cacheDirectory: String, outputDirectory: String? = nil,
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
public struct BuildResult: Sendable {
    /// How the build ended.
    public enum Status: Sendable {
        /// Every step succeeded and the output (if any) was promoted.
        case succeeded
        /// A step (nil: planning or output promotion) failed with `error`.
        case failed(step: StepID?, error: BuildEngineError)
        /// Interrupted; running tools were stopped and temporaries removed.
        case interrupted
    }

    /// How the build ended.
    public var status: Status
    /// Steps whose action ran, in finishing order.
    public var stepsRun: [StepID]
    /// Steps taken from the cache, in finishing order.
    public var stepsCached: [StepID]
    /// Each finished step's outcome.
    public var outcomes: [StepID: StepOutcome]
    /// Each finished step's output content hash.
    public var outputDigests: [StepID: String]
    /// Each finished step's cache key.
    public var keys: [StepID: String]
    /// Each finished step's output folder in the cache (read-only).
    public var outputs: [StepID: URL]
    /// Wall-clock duration.
    public var seconds: Double

    /// The conventional process exit code: 0 succeeded, 1 failed, 130 interrupted.
    public var exitCode: Int32 {
        switch status {
        case .succeeded: return 0
        case .failed: return 1
        case .interrupted: return 130
        }
    }
}
