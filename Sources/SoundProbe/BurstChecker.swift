// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Watches a continuous capture (DomD recording the loopback of a guest's
/// playback) for bursts of the counter signal, each `frames` long and starting
/// at counter 0, separated by silence. A burst passes only when every frame
/// 0..<frames arrived in order and silence followed; a lost period shows as a
/// counter jump, a late start, an early end or a gap of silence (which splits
/// the burst in two failing halves).
package struct BurstChecker {
    enum State: Equatable {
        /// Silence before a burst.
        case waiting
        /// Inside a burst; `next` is the counter expected next.
        case inBurst(next: UInt32)
        /// A failure was reported; ignore the rest of this burst.
        case skipping
    }

    /// Frames in a burst.
    package let frames: Int
    private(set) var state: State = .waiting
    /// Frames consumed so far (stream offset of the next frame).
    package private(set) var offset: Int = 0
    /// Stream offset of the current burst's first frame.
    private var burstStart = 0
    /// What the frames after a failure looked like, until the next silence.
    private var skipped = 0
    private var skippedFirst: UInt32?
    private var skippedLast: UInt32?
    /// A note on the frames skipped after the last failure, once silence ended them (for logs).
    package private(set) var skipNote: String?

    package init(frames: Int) {
        precondition(frames > 0 && frames < Int(CounterSignal.modulus), "a burst needs 1..<2^24 frames")
        self.frames = frames
    }

    /// Feeds one frame; returns a verdict when a burst ended or failed.
    package mutating func consume(left: UInt16, right: UInt16) -> SignalVerdict? {
        defer { offset += 1 }
        let silent = CounterSignal.isSilence(left: left, right: right)
        switch state {
        case .skipping:
            if silent {
                state = .waiting
                skipNote = "\(skipped) frames followed the failure up to stream frame \(offset), counters "
                    + (skippedFirst.map { "\($0)" } ?? "none") + " to " + (skippedLast.map { "\($0)" } ?? "none")
                return nil
            }
            skipped += 1
            if let counter = CounterSignal.counter(left: left, right: right) {
                if skippedFirst == nil { skippedFirst = counter }
                skippedLast = counter
            }
            return nil
        case .waiting:
            if silent { return nil }
            guard let counter = CounterSignal.counter(left: left, right: right) else {
                return fail("burst starts with a corrupt frame " + CounterSignal.describe(left: left, right: right))
            }
            guard counter == 0 else {
                return fail("burst starts at counter \(counter), not 0 (its first \(counter) frames were lost)")
            }
            state = .inBurst(next: 1)
            burstStart = offset
            return nil
        case let .inBurst(next):
            if silent {
                state = .waiting
                if Int(next) == frames {
                    return SignalVerdict(passed: true, detail: "\(frames) frames arrived intact and in order"
                                         + " (stream frames \(burstStart)..<\(offset))")
                }
                return SignalVerdict(passed: false,
                                     detail: "silence after frame \(next - 1) of \(frames) at stream frame \(offset)")
            }
            guard let counter = CounterSignal.counter(left: left, right: right) else {
                return fail("frame \(next) of the burst is corrupt: " + CounterSignal.describe(left: left, right: right))
            }
            guard Int(next) < frames else {
                return fail("the burst runs past its \(frames) frames (counter \(counter))")
            }
            guard counter == next else {
                return fail("after frame \(next - 1) came frame \(counter)" + Self.gap(expected: next, got: counter))
            }
            state = .inBurst(next: next + 1)
            return nil
        }
    }

    private mutating func fail(_ detail: String) -> SignalVerdict {
        state = .skipping
        skipped = 1
        skippedFirst = nil
        skippedLast = nil
        skipNote = nil
        return SignalVerdict(passed: false, detail: detail + " (stream frame \(offset))")
    }

    /// Forgets ``skipNote`` once it was printed.
    package mutating func clearSkipNote() { skipNote = nil }

    /// ", N frames lost" or ", N frames repeated" for a counter jump.
    static func gap(expected: UInt32, got: UInt32) -> String {
        let modulus = CounterSignal.modulus
        let ahead = (got &+ modulus &- expected) % modulus
        if ahead < modulus / 2 { return ", \(ahead) frames lost" }
        return ", \(modulus - ahead) frames repeated or reordered"
    }
}
