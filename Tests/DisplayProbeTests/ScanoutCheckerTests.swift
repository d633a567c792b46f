// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplayProbe
import Testing

@Suite("The displif e2e test's frames and hashes")
struct TestFramesTests {
    let frames = TestFrames(width: 64, height: 48)

    /// Frame `number` drawn into a buffer with `pitch` bytes per row.
    func drawn(_ number: Int, pitch: Int = 64 * 4) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xEE, count: pitch * 48)
        bytes.withUnsafeMutableBytes { frames.draw(frame: number, into: $0.baseAddress!, pitch: pitch) }
        return bytes
    }

    func hash(_ bytes: [UInt8], pitch: Int = 64 * 4) -> UInt64 {
        bytes.withUnsafeBytes { frames.hash($0.baseAddress!, pitch: pitch) }
    }

    @Test func drawnFrameHashesAsExpected() {
        for number in 0..<4 { #expect(hash(drawn(number)) == frames.expectedHash(frame: number)) }
    }

    @Test func pitchPaddingAndTheXByteDoNotCount() {
        var padded = drawn(2, pitch: 80 * 4)
        for index in stride(from: 3, to: padded.count, by: 4) { padded[index] = 0xFF }  // X bytes (little-endian XRGB)
        #expect(hash(padded, pitch: 80 * 4) == frames.expectedHash(frame: 2))
    }

    @Test func framesDifferAndEveryRowMatters() {
        let hashes = (0..<16).map { frames.expectedHash(frame: $0) }
        #expect(Set(hashes).count == 16)
        for row in [0, 23, 47] {
            var broken = drawn(5)
            let copied = drawn(4)
            for index in (row * 256)..<((row + 1) * 256) { broken[index] = copied[index] }  // one row of the previous frame
            #expect(hash(broken) != frames.expectedHash(frame: 5), "row \(row) from frame 4 must change the hash")
        }
        var onePixel = drawn(5)
        onePixel[100] ^= 1
        #expect(hash(onePixel) != frames.expectedHash(frame: 5))
    }
}

@Suite("Judging what DomD's display scanned out")
struct ScanoutCheckerTests {
    let expected: [UInt64] = [100, 101, 102, 103]

    func judge(_ seen: [UInt64]) -> ScanoutChecker {
        var checker = ScanoutChecker(expected: expected)
        for hash in seen { checker.observe(hash) }
        return checker
    }

    @Test func allFramesInOrderPass() {
        let checker = judge([7, 8, 100, 101, 101, 102, 103])
        #expect(checker.state == .passed)
        #expect(checker.verdict.passed)
        #expect(checker.isFinished)
    }

    @Test func whatFollowsTheLastFrameIsNotJudged() {
        #expect(judge([100, 101, 102, 103, 9, 100]).state == .passed)
    }

    @Test func droppedFrameFails() {
        let checker = judge([100, 101, 103])
        #expect(checker.state == .failed("frame 3 followed frame 1: frame 2 was dropped"))
        #expect(!checker.verdict.passed)
    }

    @Test func droppedFirstFrameFails() {
        #expect(judge([5, 101, 102, 103]).state == .failed("frame 1 was shown before frame 0: frame 0 was dropped"))
    }

    @Test func tornOrCorruptedFrameFails() {
        let checker = judge([100, 101, 0xBAD])
        guard case .failed(let detail) = checker.state else {
            Issue.record("expected a failure, got \(checker.state)")
            return
        }
        #expect(detail.contains("frame 2 torn or corrupted"))
        #expect(detail.contains("0000000000000bad"))
    }

    @Test func frameOutOfOrderFails() {
        #expect(judge([100, 101, 102, 101]).state == .failed("frame 1 came back after frame 2: frames out of order"))
    }

    @Test func sequenceThatStopsFails() {
        let stopped = judge([100, 101])
        #expect(stopped.state == .showing(1))
        #expect(!stopped.verdict.passed)
        #expect(stopped.verdict.detail == "frames 0...1 reached the display, frame 2 never did")
        let never = judge([1, 2, 3])
        #expect(!never.verdict.passed)
        #expect(never.verdict.detail == "frame 0 never reached the display (3 other pictures seen)")
    }

    @Test func manyPicturesWithoutFrameZeroFail() {
        var checker = ScanoutChecker(expected: expected, waitingLimit: 5)
        for hash in UInt64(1)...5 { checker.observe(hash) }
        #expect(checker.state == .waiting, "up to the limit, pictures before frame 0 are allowed")
        checker.observe(6)
        guard case .failed(let detail) = checker.state else {
            Issue.record("expected a failure, got \(checker.state)")
            return
        }
        #expect(detail.hasPrefix("6 pictures reached the display and none was frame 0"))
        #expect(ScanoutChecker(expected: expected).waitingLimit == 12)
    }

    @Test func failureIsFinal() {
        var checker = judge([100, 102])
        checker.observe(101)
        checker.observe(103)
        #expect(!checker.verdict.passed)
    }
}
