// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs a `BuildPlan`: steps in dependency order, up to `jobs` at once, each
/// taken from the content-addressed cache when its key is present, else run
/// into a temporary folder and committed atomically. After every step
/// succeeds, the exports are promoted into the output folder atomically.
///
///     let plan = BuildPlan(steps: [compile, stage], exports: [OutputExport(step: "stage")])
///     let result = BuildEngine.run(plan, options: BuildOptions(cacheDirectory: cache, outputDirectory: out))
///     exit(result.exitCode)
package enum BuildEngine {
    /// Runs the build and returns how it ended; never throws (errors are in
    /// `result.status`). Reports `buildStarted` … `buildFinished`.
    package static func run(_ plan: BuildPlan, options: BuildOptions) -> BuildResult {
        let start = Date()
        let run = Run(options: options)
        let result = run.execute(plan, start: start)
        options.reporter.report(.buildFinished(result: result))
        return result
    }

    /// `clean`: removes the output folder and the cache's temporary folders;
    /// with `includingCache`, the whole cache. Fails with `cacheBusy` while a
    /// build uses the cache.
    package static func clean(outputDirectory: String?, cacheDirectory: String, includingCache: Bool) throws {
        if includingCache {
            try CacheStore.removeAll(root: cacheDirectory)
        } else {
            try CacheStore.removeTemporaries(root: cacheDirectory)
        }
        if let outputDirectory {
            try OutputPromoter.removeStaleSiblings(of: outputDirectory)
            try FileSystem.remove(outputDirectory)
        }
    }
}

/// The mutable state of one build.
// @unchecked Sendable: the step workers share it; every `var` below is read and
// written only under `condition` (see the comment there); `options` is immutable.
private final class Run: @unchecked Sendable {
    let options: BuildOptions
    let condition = NSCondition()
    // Guarded by `condition`:
    var remaining: [StepID: Int] = [:]
    var dependants: [StepID: [StepID]] = [:]
    var ready: [Int] = []
    var running = 0
    var started = 0
    var failure: (StepID?, BuildEngineError)?
    var entries: [StepID: CacheStore.Entry] = [:]
    var result = BuildResult(status: .succeeded, stepsRun: [], stepsCached: [], outcomes: [:],
                             outputDigests: [:], keys: [:], outputs: [:], seconds: 0)

    init(options: BuildOptions) { self.options = options }

    func execute(_ plan: BuildPlan, start: Date) -> BuildResult {
        // Measured here, not in a `defer` inside `runSteps`: a defer runs after the
        // returned copy of `result` was taken and would never reach the caller.
        var finished = runSteps(plan)
        finished.seconds = Date().timeIntervalSince(start)
        return finished
    }

    private func runSteps(_ plan: BuildPlan) -> BuildResult {
        let ordered: [Step]
        let store: CacheStore
        do {
            ordered = try plan.orderedSteps()
            store = try CacheStore(root: options.cacheDirectory)
            try store.beginUse()
            if let output = options.outputDirectory { try OutputPromoter.removeStaleSiblings(of: output) }
        } catch {
            result.status = .failed(step: nil, error: Self.engineError(error, step: nil))
            return result
        }
        defer { store.endUse() }
        let hashes = FileHashCache(path: store.hashCachePath)
        options.reporter.report(.buildStarted(totalSteps: ordered.count))

        let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.id, $0) })
        for step in ordered {
            remaining[step.id] = step.dependencies.count
            for dependency in step.dependencies { dependants[dependency, default: []].append(step.id) }
            if step.dependencies.isEmpty { ready.append(position[step.id]!) }
        }
        let wake = options.cancellation.addHandler { [condition] in
            condition.lock(); condition.broadcast(); condition.unlock()
        }
        defer { options.cancellation.removeHandler(wake) }

        condition.lock()
        while true {
            while failure == nil && !options.cancellation.isCancelled && running < options.jobs && !ready.isEmpty {
                ready.sort()
                let step = ordered[ready.removeFirst()]
                running += 1
                started += 1
                let index = started
                let inputs = step.dependencies.reduce(into: [StepID: CacheStore.Entry]()) { $0[$1] = entries[$1] }
                // A thread per running step: actions block on tools and locks,
                // so a bounded shared pool could run fewer than `jobs` at once.
                Thread.detachNewThread {
                    self.perform(step, index: index, total: ordered.count, dependencies: inputs, store: store,
                                 hashes: hashes, position: position)
                }
            }
            let stopping = failure != nil || options.cancellation.isCancelled
            if running == 0 && (ready.isEmpty || stopping) { break }
            condition.wait()
        }
        condition.unlock()
        try? hashes.save()

        if options.cancellation.isCancelled {
            result.status = .interrupted
        } else if let (step, error) = failure {
            result.status = .failed(step: step, error: error)
        } else if let output = options.outputDirectory {
            do {
                try OutputPromoter.promote(plan.exports, entries: entries, to: output,
                                           isCancelled: { options.cancellation.isCancelled })
            } catch BuildEngineError.interrupted {
                result.status = .interrupted
            } catch {
                result.status = .failed(step: nil, error: Self.engineError(error, step: nil))
            }
        }
        return result
    }

    private func perform(_ step: Step, index: Int, total: Int, dependencies: [StepID: CacheStore.Entry],
                         store: CacheStore, hashes: FileHashCache, position: [StepID: Int]) {
        let reporter = options.reporter
        reporter.report(.stepStarted(step: step.id, description: step.description, index: index, total: total))
        var key = ""
        do {
            let computed = try CacheKey.compute(for: step, hashes: hashes) { dependencies[$0]!.manifest.digest }
            key = computed.key
            let forced = options.forcedSteps.contains(step.id)
            let (entry, outcome) = try store.withKeyLock(key, cancellation: options.cancellation) { () throws -> (CacheStore.Entry, StepOutcome) in
                let existing = try store.lookup(key, full: forced || options.verification == .full)
                if let existing, !forced { return (existing, .cached) }
                return try runAction(step, key: key, inputFiles: computed.files, previous: existing, forced: forced,
                                     dependencies: dependencies, store: store)
            }
            reporter.report(.stepFinished(step: step.id, description: step.description, index: index,
                                          total: total, outcome: outcome))
            condition.lock()
            entries[step.id] = entry
            result.keys[step.id] = key
            result.outcomes[step.id] = outcome
            result.outputDigests[step.id] = entry.manifest.digest
            result.outputs[step.id] = entry.outputDirectory
            if case .cached = outcome { result.stepsCached.append(step.id) } else { result.stepsRun.append(step.id) }
            for dependant in dependants[step.id] ?? [] {
                remaining[dependant]! -= 1
                if remaining[dependant] == 0 { ready.append(position[dependant]!) }
            }
        } catch {
            let engineError = Self.engineError(error, step: step.id)
            let interrupted = engineError == .interrupted || options.cancellation.isCancelled
            if !interrupted {
                reporter.report(.stepFailed(step: step.id, description: step.description, error: engineError))
            }
            condition.lock()
            if !key.isEmpty { result.keys[step.id] = key }
            if failure == nil && !interrupted { failure = (step.id, engineError) }
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    private func runAction(_ step: Step, key: String, inputFiles: [(path: String, status: FileSystem.Status)],
                           previous: CacheStore.Entry?, forced: Bool,
                           dependencies: [StepID: CacheStore.Entry],
                           store: CacheStore) throws -> (CacheStore.Entry, StepOutcome) {
        let temporary = try store.makeTemporaryEntry()
        defer { try? FileSystem.remove(temporary) }
        let scratch = temporary + "/scratch"
        try FileSystem.makeDirectory(scratch)
        let tools = ReportingToolRunner(base: options.tools, step: step.id, reporter: options.reporter,
                                        cancellation: options.cancellation)
        let context = StepContext(step: step.id, outputDirectory: URL(fileURLWithPath: temporary + "/out"),
                                  scratchDirectory: URL(fileURLWithPath: scratch), tools: tools,
                                  dependencyOutputs: dependencies.mapValues(\.outputDirectory),
                                  reporter: options.reporter, cancellation: options.cancellation)
        let began = Date()
        do {
            try step.action(context)
        } catch {
            throw Self.engineError(error, step: step.id)
        }
        if options.cancellation.isCancelled { throw BuildEngineError.interrupted }
        // An input edited while the action ran would store output under a
        // key that does not describe it: discard it instead.
        for file in inputFiles where FileSystem.status(file.path, following: true) != file.status {
            throw BuildEngineError.inputChangedDuringStep(step: step.id.rawValue, path: file.path)
        }
        try FileSystem.remove(scratch)
        let entry = try store.commit(temporary: temporary, key: key, step: step.id, replace: forced)
        let changed = previous.map { $0.manifest.digest != entry.manifest.digest } ?? true
        return (entry, .ran(seconds: Date().timeIntervalSince(began), outputChanged: changed))
    }

    static func engineError(_ error: Error, step: StepID?) -> BuildEngineError {
        if let error = error as? BuildEngineError { return error }
        if let input = error as? InputError, input.isInputError {
            return .stepRefusedInput(step: step?.rawValue ?? "-", message: "\(error)")
        }
        return .stepActionFailed(step: step?.rawValue ?? "-", message: "\(error)")
    }
}
