// SPDX-License-Identifier: Apache-2.0

/// One layer's end-to-end verdict as printed on the console by the test guest.
package struct LayerVerdict: Sendable, Equatable {
    package var layer: String
    package var passed: Bool
    /// What the check saw, e.g. "12 events in order" or why it failed.
    package var detail: String

    package init(layer: String, passed: Bool, detail: String) {
        self.layer = layer
        self.passed = passed
        self.detail = detail
    }
}

/// Reads a booting system's console line by line and recognises the few lines
/// that matter: driver-domain readiness, per-layer test verdicts, the end of a
/// test run, the ways a boot dies (kernel panic, Xen halting early), and every
/// kernel warning, bug or oops on any console.
///
/// The console protocol — printed by the driverdom init and the test guest:
///
///     driverdom: all backends ready            (or the control-role init's
///     init: all DomD backends ready (N) at …    log line saying the same)
///     driverdom-test: verdict <layer> PASS|FAIL <detail>
///     driverdom-test: finished
///     driverdom-test: press <button>           (the host presses a button)
///     init: control plan failed: <why>         (dom0's init gave up: the run ends)
///
/// The watcher is a pure state machine over (time, line) so it is tested without
/// an emulator.
package struct ConsoleWatcher: Sendable {
    package static let readyMarker = "driverdom: all backends ready"
    /// The control-role init's log line once every awaited DomD backend is ready.
    package static let initReadyMarker = "init: all DomD backends ready"
    package static let verdictPrefix = "driverdom-test: verdict "
    package static let finishedMarker = "driverdom-test: finished"
    /// The control-role init's log line when it could not bring the domains up
    /// (boot partition, `xl create`, a backend's readiness): the run cannot pass.
    package static let controlFailedMarker = "init: control plan failed: "
    /// Asks the host to press a machine button (`driverdom-test: press power-button`).
    package static let pressPrefix = "driverdom-test: press "

    /// Seconds from start until the readiness line, once seen.
    package private(set) var readyAfter: Double?
    /// Verdicts in the order they were printed.
    package private(set) var verdicts: [LayerVerdict] = []
    /// Whether the test guest announced the end of its checks.
    package private(set) var finished = false
    /// A line showing the system died, once seen.
    package private(set) var fatalLine: String?
    /// dom0's init's line saying its control plan failed, once seen.
    package private(set) var controlFailure: String?
    /// Whether Xen reported that dom0 halted (the normal end of a run).
    package private(set) var halted = false
    /// The last non-empty line, for timeout messages.
    package private(set) var lastLine: String?
    /// Lines where a kernel (Xen, dom0, DomD or a guest) reported a fault —
    /// a warning, a bug, an oops or a panic — in the order seen.
    package private(set) var kernelProblems: [String] = []

    /// What marks a kernel fault line: Linux's `WARNING:`/`BUG:`/oops/panic
    /// banners and Xen's `WARN at`/`BUG at`/panic.
    package static let kernelProblemMarkers = [
        "WARNING:", "BUG:", "Xen WARN at", "Xen BUG at", "Internal error: Oops", "Oops:", "Oops [#",
        "Kernel panic", "Panic on CPU",
    ]
    /// Notices that carry a marker but are not faults: Xen 4.17 on arm prints
    /// this at every boot without `xsm=silo` (the image's machine chooses `xsm=dummy`).
    package static let acceptedNotices = ["WARNING: SILO mode is not enabled."]

    /// Whether `line` is a kernel fault report (see `kernelProblemMarkers`).
    package static func isKernelProblem(_ line: String) -> Bool {
        guard kernelProblemMarkers.contains(where: { line.contains($0) }) else { return false }
        return !acceptedNotices.contains(where: { line.contains($0) })
    }
    /// Buttons the target asked the host to press, in order.
    package private(set) var pressRequests: [String] = []

    package init() {}

    /// Feeds one console line (without its newline) seen `seconds` after start.
    package mutating func consume(_ rawLine: String, at seconds: Double) {
        let line = rawLine.trimmingTrailingWhitespace()
        if !line.isEmpty { lastLine = line }
        if readyAfter == nil, line.contains(Self.readyMarker) || line.contains(Self.initReadyMarker) {
            readyAfter = seconds
        }
        if let range = line.range(of: Self.verdictPrefix) {
            verdicts.append(Self.parseVerdict(String(line[range.upperBound...])))
        }
        if line.contains(Self.finishedMarker) { finished = true }
        if let range = line.range(of: Self.pressPrefix) {
            let button = line[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
            if !button.isEmpty { pressRequests.append(button) }
        }
        if line.contains("Hardware Dom0 halted") { halted = true }
        if controlFailure == nil, line.contains(Self.controlFailedMarker) { controlFailure = line }
        if Self.isKernelProblem(line) { kernelProblems.append(line) }
        if fatalLine == nil, line.contains("Kernel panic") || line.contains("Xen BUG") || line.contains("Panic on CPU") {
            fatalLine = line
        }
    }

    /// Whether the run has said all it will say.
    package var isDone: Bool { finished || halted || fatalLine != nil || controlFailure != nil }

    /// True when the guest finished, at least one verdict was printed, all passed
    /// and nothing died.
    package var allPassed: Bool {
        finished && fatalLine == nil && controlFailure == nil && !verdicts.isEmpty && verdicts.allSatisfy(\.passed)
    }

    static func parseVerdict(_ text: String) -> LayerVerdict {
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2 else {
            return LayerVerdict(layer: words.first.map(String.init) ?? "?", passed: false,
                                detail: "malformed verdict line: \(text)")
        }
        let detail = words.count == 3 ? String(words[2]) : ""
        return LayerVerdict(layer: String(words[0]), passed: words[1] == "PASS", detail: detail)
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var end = endIndex
        while end > startIndex {
            let previous = index(before: end)
            guard self[previous].isWhitespace else { break }
            end = previous
        }
        return String(self[..<end])
    }
}
