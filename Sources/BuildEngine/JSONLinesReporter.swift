// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One JSON object per line per event, for CI (progress events of a step are
/// limited to four a second, and the final one). Every object has `event`
/// (`build-start`, `step-start`, `step-finish`, `progress`, `note`,
/// `tool-start`, `tool-finish`, `error`, `build-finish`) and `time` (seconds
/// since 1970); the other keys depend on the event:
///
///     {"event":"step-finish","step":"compile/sndif","description":"…","index":3,
///      "total":12,"cached":false,"duration":3.21,"output_changed":true,"time":…}
// @unchecked Sendable: `lastProgress` and the writes to `sink` happen only under `lock`.
package final class JSONLinesReporter: BuildReporter, @unchecked Sendable {
    private let sink: TextSink
    private let lock = NSLock()
    private var lastProgress: [StepID: Date] = [:]

    /// A reporter writing to `sink` (default: standard output).
    package init(sink: TextSink = .standardOutput) { self.sink = sink }

    package func report(_ event: BuildEvent) {
        if case .progress(let step, let done, let total) = event {
            // At most four progress lines a second per step, plus the last one.
            let now = Date()
            lock.lock()
            let last = lastProgress[step] ?? .distantPast
            let emit = done == total || now.timeIntervalSince(last) >= 0.25
            if emit { lastProgress[step] = now }
            lock.unlock()
            guard emit else { return }
        }
        var object = Self.fields(of: event)
        object["time"] = Date().timeIntervalSince1970
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        lock.lock(); defer { lock.unlock() }
        sink.write(String(decoding: data, as: UTF8.self) + "\n")
    }

    static func fields(of event: BuildEvent) -> [String: Any] {
        switch event {
        case .buildStarted(let total):
            return ["event": "build-start", "total": total]
        case .stepStarted(let step, let description, let index, let total):
            return ["event": "step-start", "step": step.rawValue, "description": description, "index": index, "total": total]
        case .stepFinished(let step, let description, let index, let total, let outcome):
            var object: [String: Any] = ["event": "step-finish", "step": step.rawValue, "description": description,
                                         "index": index, "total": total]
            switch outcome {
            case .cached:
                object["cached"] = true
            case .ran(let seconds, let changed):
                object["cached"] = false
                object["duration"] = (seconds * 1000).rounded() / 1000
                object["output_changed"] = changed
            }
            return object
        case .progress(let step, let done, let total):
            var object: [String: Any] = ["event": "progress", "step": step.rawValue, "done": done]
            if let total { object["total"] = total }
            return object
        case .note(let step, let message):
            return ["event": "note", "step": step.rawValue, "message": message]
        case .toolStarted(let step, let command):
            return ["event": "tool-start", "step": step.rawValue, "command": command]
        case .toolFinished(let step, let command, let result):
            var object: [String: Any] = ["event": "tool-finish", "step": step.rawValue, "command": command,
                                         "status": Int(result.status), "signalled": result.signalled]
            if !result.succeeded { object["output_tail"] = result.outputTail() }
            return object
        case .stepFailed(let step, let description, let error):
            return ["event": "error", "step": step.rawValue, "description": description, "message": error.description]
        case .buildFinished(let result):
            var object: [String: Any] = ["event": "build-finish", "steps_run": result.stepsRun.count,
                                         "steps_cached": result.stepsCached.count,
                                         "duration": (result.seconds * 1000).rounded() / 1000,
                                         "exit_code": Int(result.exitCode)]
            switch result.status {
            case .succeeded: object["status"] = "succeeded"
            case .interrupted: object["status"] = "interrupted"
            case .failed(let step, let error):
                object["status"] = "failed"
                object["failed_step"] = step?.rawValue ?? NSNull()
                object["message"] = error.description
            }
            return object
        }
    }
}
