// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SoundProbe
import Testing

@Suite("Window check (the guest recording DomD's endless signal)")
struct WindowCheckerTests {
    static let period = 240

    func verdict(_ stream: [(UInt16, UInt16)], minimum: Int = 1000) -> SignalVerdict {
        var checker = WindowChecker(minimumFrames: minimum)
        for frame in stream { checker.consume(left: frame.0, right: frame.1) }
        return checker.verdict()
    }

    @Test("silence, an unbroken run from any counter, silence passes")
    func passes() {
        let result = verdict(silence(300) + signal(from: 12345, count: 2000) + silence(40))
        #expect(result.passed)
        #expect(result.detail == "2000 frames intact and in order from counter 12345 (silence: 300 leading, 40 trailing)")
    }

    @Test("the run may cross the counter's wrap")
    func wrapping() {
        #expect(verdict(signal(from: CounterSignal.modulus - 100, count: 2000)).passed)
    }

    @Test("too few signal frames fail")
    func tooShort() {
        #expect(!verdict(silence(5000) + signal(from: 9, count: 999)).passed)
    }

    @Test("one dropped period fails", arguments: [1, 3, 7])
    func droppedPeriod(index: Int) {
        var run = signal(from: 77, count: 10 * Self.period)
        run.removeSubrange(index * Self.period..<(index + 1) * Self.period)
        let result = verdict(silence(10) + run)
        #expect(!result.passed)
        #expect(result.detail.contains("240 frames lost"))
    }

    @Test("a period replaced by silence fails")
    func silentGap() {
        var run = signal(from: 77, count: 10 * Self.period)
        run.replaceSubrange(4 * Self.period..<5 * Self.period, with: silence(Self.period))
        #expect(!verdict(run).passed)
    }

    @Test("one corrupted sample fails", arguments: [0, 1, 1500, 2399])
    func corruptSample(index: Int) {
        var run = signal(from: 5, count: 10 * Self.period)
        run[index].1 ^= 0x0001
        #expect(!verdict(run + silence(3)).passed)
    }

    @Test("nothing but silence fails")
    func onlySilence() {
        #expect(!verdict(silence(48000)).passed)
    }
}
