// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Human-readable progress: one line per finished step, `[n/m] description …
/// cached` or `… 3.2 s`; on a terminal, a transient progress bar for
/// downloads. `verbose` adds every command line, step notes, and the full
/// output of a failing command.
// @unchecked Sendable: `started`, `barShown`, `lastBar` and the writes to `sink`
// happen only under `lock`; `verbosity` is immutable.
package final class HumanReporter: BuildReporter, @unchecked Sendable {
    /// How much to print.
    package enum Verbosity: Sendable { case normal, verbose }

    private let sink: TextSink
    private let verbosity: Verbosity
    private let lock = NSLock()
    private var started: [StepID: (index: Int, total: Int, description: String)] = [:]
    private var barShown = false
    private var lastBar = Date.distantPast

    /// A reporter writing to `sink` (default: standard error).
    package init(sink: TextSink = .standardError, verbosity: Verbosity = .normal) {
        self.sink = sink
        self.verbosity = verbosity
    }

    package func report(_ event: BuildEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .buildStarted:
            break
        case .stepStarted(let step, let description, let index, let total):
            started[step] = (index, total, description)
            if verbosity == .verbose {
                line("[\(index)/\(total)] \(description) …")
            } else if sink.isTerminal {
                // A transient line, replaced by the next line or progress bar.
                sink.write("\r\u{1b}[K[\(index)/\(total)] \(description) …")
                barShown = true
            }
        case .stepFinished(_, let description, let index, let total, let outcome):
            line("[\(index)/\(total)] \(description) … " + Self.describe(outcome))
        case .progress(let step, let done, let total):
            guard sink.isTerminal, let info = started[step] else { return }
            let now = Date()
            guard now.timeIntervalSince(lastBar) >= 0.1 || done == total else { return }
            lastBar = now
            sink.write("\r\u{1b}[K" + Self.bar(prefix: "[\(info.index)/\(info.total)] \(info.description)", done: done, total: total))
            barShown = true
        case .note(let step, let message):
            if verbosity == .verbose { line("  \(step): \(message)") }
        case .toolStarted(_, let command):
            if verbosity == .verbose { line("  $ \(command)") }
        case .toolFinished(_, let command, let result):
            if verbosity == .verbose && !result.succeeded {
                var text = "  command failed (\(result.signalled ? "signal" : "status") \(result.status)): \(command)"
                if !result.stdoutText.isEmpty { text += "\n  --- stdout ---\n" + result.stdoutText }
                if !result.stderrText.isEmpty { text += "\n  --- stderr ---\n" + result.stderrText }
                line(text)
            }
        case .stepFailed(let step, let description, let error):
            let prefix = started[step].map { "[\($0.index)/\($0.total)] " } ?? ""
            line("\(prefix)\(description) … FAILED\n\(error.description)")
        case .buildFinished(let result):
            line(Self.summary(result))
        }
    }

    private func line(_ text: String) {
        if barShown { sink.write("\r\u{1b}[K"); barShown = false }
        sink.write(text.hasSuffix("\n") ? text : text + "\n")
    }

    static func describe(_ outcome: StepOutcome) -> String {
        switch outcome {
        case .cached: return "cached"
        case .ran(let seconds, let changed): return String(format: "%.1f s", seconds) + (changed ? "" : " (output unchanged)")
        }
    }

    static func bar(prefix: String, done: Int64, total: Int64?) -> String {
        let mb = { (bytes: Int64) in String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        guard let total, total > 0 else { return "\(prefix) \(mb(done))" }
        let fraction = min(1, max(0, Double(done) / Double(total)))
        let width = 24
        let filled = Int(fraction * Double(width))
        return "\(prefix) [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) +
            "] \(Int(fraction * 100))% \(mb(done))/\(mb(total))"
    }

    /// The closing line: outcome, steps run and cached, wall time.
    package static func summary(_ result: BuildResult) -> String {
        let counts = "\(result.stepsRun.count) run, \(result.stepsCached.count) cached"
        let time = String(format: "%.1f s", result.seconds)
        switch result.status {
        case .succeeded: return "Build succeeded: \(counts), \(time)."
        case .failed(let step, _): return "Build failed at step '\(step?.rawValue ?? "-")': \(counts), \(time)."
        case .interrupted: return "Build interrupted: \(counts), \(time)."
        }
    }
}

/// Prints only failures (the failing step and its tool output) and nothing else.
// @unchecked Sendable: its only mutable effect, writing to `sink`, happens under `lock`.
package final class QuietReporter: BuildReporter, @unchecked Sendable {
    private let sink: TextSink
    private let lock = NSLock()

    /// A reporter writing failures to `sink` (default: standard error).
    package init(sink: TextSink = .standardError) { self.sink = sink }

    package func report(_ event: BuildEvent) {
        guard case .stepFailed(let step, let description, let error) = event else { return }
        lock.lock(); defer { lock.unlock() }
        sink.write("\(description) (\(step)) failed\n\(error.description)\n")
    }
}
