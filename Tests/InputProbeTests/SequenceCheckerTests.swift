// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
@testable import InputProbe

@Suite struct SequenceCheckerTests {
    @Test func wholeRunAfterAPartialOnePasses() {
        var checker = SequenceChecker<KeyTransition>.kbdifKeys()
        let run = KbdifProbe.keyRun()
        for event in run.suffix(7) { checker.consume(event) }   // the reader opened mid-run
        #expect(checker.state == .waiting)
        for event in run { checker.consume(event) }
        #expect(checker.state == .passed)
    }

    @Test(arguments: [3, 10, 40, 75])
    func aDroppedEventFails(dropped: Int) {
        var checker = SequenceChecker<KeyTransition>.kbdifKeys()
        var run = KbdifProbe.keyRun()
        let lost = run.remove(at: dropped)
        for event in run + KbdifProbe.keyRun() { checker.consume(event) }
        guard case .failed(let index, let detail) = checker.state else {
            Issue.record("dropping event \(dropped) went unnoticed: \(checker.state)")
            return
        }
        #expect(index == dropped)
        #expect(detail.contains("key \(lost.code)"))
    }

    @Test func aDuplicatedEventFails() {
        var checker = SequenceChecker<KeyTransition>.kbdifKeys()
        var run = KbdifProbe.keyRun()
        run.insert(run[5], at: 5)
        for event in run { checker.consume(event) }
        #expect(checker.state == .failed(index: 6, detail: "expected key 4 press at position 7 of 76, got key 3 release"))
    }

    @Test func positionsTolerateScalingRoundOff() {
        var checker = SequenceChecker<PointerPosition>.kbdifPositions()
        checker.consume(PointerPosition(x: 7, y: 7))
        for p in KbdifProbe.positions { checker.consume(PointerPosition(x: p.x + 1, y: p.y - 2)) }
        #expect(checker.state == .passed)
    }

    @Test func positionsOutOfOrderFail() {
        var checker = SequenceChecker<PointerPosition>.kbdifPositions()
        let p = KbdifProbe.positions
        for position in [p[0], p[2], p[1], p[3]] { checker.consume(position) }
        #expect(checker.state == .failed(index: 1, detail: "expected (512,384) at position 2 of 4, got (1000,700)"))
    }

    @Test func runShape() {
        let run = KbdifProbe.keyRun()
        #expect(run.count == 2 * (KbdifProbe.bodyKeys.count + 2))
        #expect(run.first == KeyTransition(code: KbdifProbe.startKey, value: 1))
        #expect(run.last == KeyTransition(code: KbdifProbe.endKey, value: 0))
        // evdev drops an axis value equal to the previous one: neighbours must differ in x and y.
        let positions = KbdifProbe.positions
        for (a, b) in zip(positions, positions.dropFirst() + [positions[0]]) {
            #expect(a.x != b.x && a.y != b.y)
        }
    }
}
