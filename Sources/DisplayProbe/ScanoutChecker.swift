// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Judges what a display scanned out during the displif end-to-end test: the
/// hashes of the pictures seen, one per observed change, against the hashes of
/// the guest's ``TestFrames`` 0..<count.
///
/// Before frame 0 appears anything may be shown (the background, a guest
/// console); once it has appeared every picture must be the frame shown last
/// or the next one, until the last frame has been seen — so a frame never seen
/// (dropped), a picture that is no frame (torn or corrupted) and a frame seen
/// out of order each fail. A frame other than 0 seen before frame 0 means
/// frame 0 was lost, and more than `waitingLimit` pictures without frame 0
/// mean the guest is flipping but none of its frames arrives intact (a copy
/// that breaks every frame).
package struct ScanoutChecker: Sendable {
    /// Where the check stands.
    package enum State: Sendable, Equatable {
        /// Frame 0 not seen yet.
        case waiting
        /// Frames 0...shown seen in order; more to come.
        case showing(Int)
        /// Every frame seen, in order.
        case passed
        /// The sequence broke; the detail says how.
        case failed(String)
    }

    /// The expected hash of each frame, by frame number.
    package let expected: [UInt64]
    package private(set) var state: State = .waiting
    /// Pictures observed, including repeats and those before frame 0.
    package private(set) var observed = 0

    /// Pictures that may be seen before frame 0 (the background, the guest's mode set).
    package let waitingLimit: Int

    package init(expected: [UInt64], waitingLimit: Int? = nil) {
        precondition(!expected.isEmpty, "a scanout check needs at least one frame")
        self.expected = expected
        self.waitingLimit = waitingLimit ?? 2 * expected.count + 4
    }

    /// True once the check passed or failed.
    package var isFinished: Bool {
        switch state {
        case .passed, .failed: true
        case .waiting, .showing: false
        }
    }

    /// Takes the hash of the picture now shown (after a change was noticed).
    package mutating func observe(_ hash: UInt64) {
        observed += 1
        let frame = expected.firstIndex(of: hash)
        switch state {
        case .passed, .failed:
            return
        case .waiting:
            guard let frame else {
                if observed > waitingLimit {
                    state = .failed("\(observed) pictures reached the display and none was frame 0:"
                        + " the test's frames arrive torn or corrupted (last hash \(hex(hash)))")
                }
                return
            }
            if frame == 0 {
                state = expected.count == 1 ? .passed : .showing(0)
            } else {
                state = .failed("frame \(frame) was shown before frame 0: frame 0 was dropped")
            }
        case .showing(let last):
            guard let frame else {
                state = .failed("after frame \(last) the display showed a picture that is no frame of the test"
                    + " (hash \(hex(hash))): frame \(last + 1) torn or corrupted")
                return
            }
            if frame == last { return }
            if frame == last + 1 {
                state = frame == expected.count - 1 ? .passed : .showing(frame)
            } else if frame > last + 1 {
                let missing = frame == last + 2 ? "frame \(last + 1) was" : "frames \(last + 1)...\(frame - 1) were"
                state = .failed("frame \(frame) followed frame \(last): \(missing) dropped")
            } else {
                state = .failed("frame \(frame) came back after frame \(last): frames out of order")
            }
        }
    }

    /// The verdict once the input ended (or timed out) in `state`.
    package var verdict: (passed: Bool, detail: String) {
        switch state {
        case .passed:
            return (true, "frames 0...\(expected.count - 1) reached the display intact and in order")
        case .failed(let detail):
            return (false, detail)
        case .waiting:
            return (false, "frame 0 never reached the display (\(observed) other pictures seen)")
        case .showing(let last):
            return (false, "frames 0...\(last) reached the display, frame \(last + 1) never did")
        }
    }

    private func hex(_ value: UInt64) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        var text = ""
        for shift in stride(from: 60, through: 0, by: -4) { text.append(digits[Int((value >> UInt64(shift)) & 0xF)]) }
        return text
    }
}
