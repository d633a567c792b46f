// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How a step finished.
public enum StepOutcome: Equatable, Sendable {
    /// Taken from the cache; the action did not run.
    case cached
    /// The action ran for `seconds`; `outputChanged` is false when a forced
    /// step produced the same output as its cache entry (early cutoff).
    case ran(seconds: Double, outputChanged: Bool)
}

/// Something that happened during a build, in the order it happened
/// (events of parallel steps interleave).
public enum BuildEvent: Sendable {
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
public protocol BuildReporter: Sendable {
    /// Handles one event.
    func report(_ event: BuildEvent)
}

/// Ignores every event.
public struct NullReporter: BuildReporter {
    /// A reporter that prints nothing.
    public init() {}
    public func report(_ event: BuildEvent) {}
}

/// Keeps every event, for tests.
// @unchecked Sendable: `recorded` is read and written only under `lock`.
public final class RecordingReporter: BuildReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [BuildEvent] = []

    /// An empty recording.
    public init() {}

    /// All events so far.
    public var events: [BuildEvent] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }

    public func report(_ event: BuildEvent) {
        lock.lock(); defer { lock.unlock() }
        recorded.append(event)
    }
}

/// Where reporters write text. `standardError`/`standardOutput` know if they
/// are a terminal; a closure sink is never one.
public struct TextSink: Sendable {
    /// Whether the sink is an interactive terminal (progress bars are drawn only then).
    public let isTerminal: Bool
    let write: @Sendable (String) -> Void

    /// A sink calling `write` with each chunk of text.
    public init(isTerminal: Bool = false, write: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    /// The process's standard error.
    public static var standardError: TextSink {
        TextSink(isTerminal: isatty(2) == 1) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// The process's standard output.
    public static var standardOutput: TextSink {
        TextSink(isTerminal: isatty(1) == 1) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
