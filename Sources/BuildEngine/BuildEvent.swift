// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How a step finished.
package enum StepOutcome: Equatable, Sendable {
    /// Taken from the cache; the action did not run.
    case cached
    /// The action ran for `seconds`; `outputChanged` is false when a forced
    /// step produced the same output as its cache entry (early cutoff).
    case ran(seconds: Double, outputChanged: Bool)
}

/// Something that happened during a build, in the order it happened
/// (events of parallel steps interleave).
package enum BuildEvent: Sendable {
    /// The build begins with this many steps.
    case buildStarted(totalSteps: Int)
    /// Step number `index` of `total` starts (checking the cache, then maybe running).
    case stepStarted(step: StepID, description: String, index: Int, total: Int)
    /// A step finished.
    case stepFinished(step: StepID, description: String, index: Int, total: Int, outcome: StepOutcome)
    /// A long operation inside a step advanced (`total` nil when unknown).
    case progress(step: StepID, done: Int64, total: Int64?)
    /// An informational line from a step.
    case note(step: StepID, message: String)
    /// A step runs an external command.
    case toolStarted(step: StepID, command: String)
    /// An external command ended (successfully or not).
    case toolFinished(step: StepID, command: String, result: ToolResult)
    /// A step failed; the build stops launching steps.
    case stepFailed(step: StepID, description: String, error: BuildEngineError)
    /// The build ended.
    case buildFinished(result: BuildResult)
}

/// Receives build events. Implementations: `HumanReporter` (normal or
/// verbose), `QuietReporter`, `JSONLinesReporter`, `RecordingReporter`,
/// `NullReporter`. Called from several threads; implementations serialise.
package protocol BuildReporter: Sendable {
    /// Handles one event.
    func report(_ event: BuildEvent)
}

/// Ignores every event.
package struct NullReporter: BuildReporter {
    /// A reporter that prints nothing.
    package init() {}
    package func report(_ event: BuildEvent) {}
}

/// Keeps every event, for tests.
// @unchecked Sendable: `recorded` is read and written only under `lock`.
package final class RecordingReporter: BuildReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [BuildEvent] = []

    /// An empty recording.
    package init() {}

    /// All events so far.
    package var events: [BuildEvent] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }

    package func report(_ event: BuildEvent) {
        lock.lock(); defer { lock.unlock() }
        recorded.append(event)
    }
}

/// Where reporters write text. `standardError`/`standardOutput` know if they
/// are a terminal; a closure sink is never one.
package struct TextSink: Sendable {
    /// Whether the sink is an interactive terminal (progress bars are drawn only then).
    package let isTerminal: Bool
    let write: @Sendable (String) -> Void

    /// A sink calling `write` with each chunk of text.
    package init(isTerminal: Bool = false, write: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    /// The process's standard error.
    package static var standardError: TextSink {
        TextSink(isTerminal: isatty(2) == 1) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// The process's standard output.
    package static var standardOutput: TextSink {
        TextSink(isTerminal: isatty(1) == 1) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
