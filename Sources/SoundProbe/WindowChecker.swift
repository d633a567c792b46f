// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Checks a finite recording (a guest recording DomD's endless counter signal):
/// leading silence, then one unbroken run of counters each one more than the
/// last (from any start), then only trailing silence. A lost period shows as a
/// counter jump, a corrupt frame does not decode, and a gap of silence is
/// caught when the signal resumes after it.
package struct WindowChecker {
    enum State: Equatable {
        case leading
        case signal(next: UInt32)
        case trailing
        case failed(String)
    }

    /// Signal frames needed for a pass.
    package let minimumFrames: Int
    private(set) var state: State = .leading
    /// Frames consumed.
    package private(set) var offset: Int = 0
    /// Silent frames before the signal.
    package private(set) var leadingSilence: Int = 0
    /// Silent frames after the signal.
    package private(set) var trailingSilence: Int = 0
    /// Frames of the signal.
    package private(set) var signalFrames: Int = 0
    /// The counter of the first signal frame.
    package private(set) var firstCounter: UInt32 = 0

    package init(minimumFrames: Int) {
        precondition(minimumFrames > 0, "a window check needs at least one signal frame")
        self.minimumFrames = minimumFrames
    }

    /// Feeds one frame.
    package mutating func consume(left: UInt16, right: UInt16) {
        defer { offset += 1 }
        let silent = CounterSignal.isSilence(left: left, right: right)
        switch state {
        case .failed:
            return
        case .leading:
            if silent {
                leadingSilence += 1
                return
            }
            guard let counter = CounterSignal.counter(left: left, right: right) else {
                return fail("corrupt first frame " + CounterSignal.describe(left: left, right: right))
            }
            firstCounter = counter
            signalFrames = 1
            state = .signal(next: (counter + 1) % CounterSignal.modulus)
        case let .signal(next):
            if silent {
                trailingSilence = 1
                state = .trailing
                return
            }
            guard let counter = CounterSignal.counter(left: left, right: right) else {
                return fail("corrupt frame " + CounterSignal.describe(left: left, right: right)
                            + " after \(signalFrames) good frames")
            }
            guard counter == next else {
                return fail("counter \(counter) after \((next &+ CounterSignal.modulus &- 1) % CounterSignal.modulus)"
                            + BurstChecker.gap(expected: next, got: counter) + ", after \(signalFrames) good frames")
            }
            signalFrames += 1
            state = .signal(next: (counter + 1) % CounterSignal.modulus)
        case .trailing:
            if silent {
                trailingSilence += 1
                return
            }
            fail("the signal stopped for \(trailingSilence) silent frames after \(signalFrames) good frames, then resumed")
        }
    }

    private mutating func fail(_ detail: String) {
        state = .failed(detail + " (recorded frame \(offset))")
    }

    /// The verdict once the recording ended.
    package func verdict() -> SignalVerdict {
        if case let .failed(detail) = state { return SignalVerdict(passed: false, detail: detail) }
        guard signalFrames >= minimumFrames else {
            return SignalVerdict(passed: false, detail: "only \(signalFrames) signal frames of \(offset) recorded, "
                                 + "\(minimumFrames) needed (leading silence \(leadingSilence))")
        }
        return SignalVerdict(passed: true, detail: "\(signalFrames) frames intact and in order from counter "
                             + "\(firstCounter) (silence: \(leadingSilence) leading, \(trailingSilence) trailing)")
    }
}
