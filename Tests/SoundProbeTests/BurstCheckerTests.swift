// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SoundProbe
import Testing

@Suite("Burst check (DomD capturing the guest's playback)")
struct BurstCheckerTests {
    static let frames = 960
    static let period = 240

    func verdicts(_ stream: [(UInt16, UInt16)], frames: Int = Self.frames) -> [SignalVerdict] {
        var checker = BurstChecker(frames: frames)
        return stream.compactMap { checker.consume(left: $0.0, right: $0.1) }
    }

    @Test("a whole burst between silences passes")
    func wholeBurst() {
        let result = verdicts(silence(100) + signal(from: 0, count: Self.frames) + silence(10))
        #expect(result == [SignalVerdict(passed: true, detail: "960 frames arrived intact and in order (stream frames 100..<1060)")])
    }

    @Test("two bursts give two verdicts")
    func twoBursts() {
        let burst = signal(from: 0, count: Self.frames) + silence(5)
        #expect(verdicts(burst + burst).map(\.passed) == [true, true])
    }

    @Test("a burst not yet followed by silence has no verdict")
    func unfinished() {
        #expect(verdicts(silence(3) + signal(from: 0, count: Self.frames)).isEmpty)
    }

    @Test("one dropped period fails", arguments: [0, 1, 2, 3])
    func droppedPeriod(index: Int) {
        var burst = signal(from: 0, count: Self.frames)
        burst.removeSubrange(index * Self.period..<(index + 1) * Self.period)
        let result = verdicts(silence(5) + burst + silence(5))
        #expect(!result.isEmpty)
        #expect(result.allSatisfy { !$0.passed })
    }

    @Test("a period replaced by silence fails both halves")
    func silentGap() {
        var burst = signal(from: 0, count: Self.frames)
        burst.replaceSubrange(Self.period..<2 * Self.period, with: silence(Self.period))
        let result = verdicts(burst + silence(5))
        #expect(result.count == 2)
        #expect(result.allSatisfy { !$0.passed })
    }

    @Test("a repeated period fails")
    func repeatedPeriod() {
        let burst = signal(from: 0, count: 2 * Self.period) + signal(from: UInt32(Self.period), count: Self.frames - Self.period)
        let result = verdicts(burst + silence(5))
        #expect(result.first?.passed == false)
        #expect(result.first?.detail.contains("repeated") == true)
    }

    @Test("one corrupted sample fails", arguments: [0, 1, 500, 959])
    func corruptSample(index: Int) {
        var burst = signal(from: 0, count: Self.frames)
        burst[index].0 ^= 0x0100
        let result = verdicts(burst + silence(5))
        #expect(result.first?.passed == false)
    }

    @Test("one corrupted tag fails")
    func corruptTag() {
        var burst = signal(from: 0, count: Self.frames)
        burst[300].1 = 0x1234
        let result = verdicts(burst + silence(5))
        #expect(result.first?.passed == false)
        #expect(result.first?.detail.contains("corrupt") == true)
    }

    @Test("a burst that ends early fails")
    func endsEarly() {
        let result = verdicts(signal(from: 0, count: Self.frames - 1) + silence(5))
        #expect(result == [SignalVerdict(passed: false, detail: "silence after frame 958 of 960 at stream frame 959")])
    }

    @Test("a burst that runs long fails")
    func runsLong() {
        let result = verdicts(signal(from: 0, count: Self.frames + 1) + silence(5))
        #expect(result.first?.passed == false)
    }
}
