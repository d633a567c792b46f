// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Where a sequence check stands.
package enum CheckState: Equatable {
    /// The first element has not been seen yet.
    case waiting
    /// `matched` elements of the sequence arrived in order so far.
    case inProgress(matched: Int)
    /// The whole sequence arrived in order.
    case passed
    /// Element `index` was expected but something else arrived.
    case failed(index: Int, detail: String)
}

/// Checks that a stream contains one complete, in-order, gap-free copy of
/// `expected`, starting at the first occurrence of `expected[0]`. Anything
/// before that first element is ignored (the reader may have opened the device
/// in the middle of a run); after it, every element must match exactly, so a
/// dropped, duplicated or reordered event fails the check.
package struct SequenceChecker<Element: Equatable> {
    package let expected: [Element]
    package private(set) var state: CheckState = .waiting
    private let matches: (Element, Element) -> Bool
    private let describe: (Element) -> String

    /// - Parameters:
    ///   - matches: whether a received element (first) matches an expected one.
    ///   - describe: text for failure messages.
    package init(expected: [Element], matches: @escaping (Element, Element) -> Bool,
                describe: @escaping (Element) -> String) {
        precondition(!expected.isEmpty, "a sequence check needs at least one element")
        self.expected = expected
        self.matches = matches
        self.describe = describe
    }

    /// Feeds one received element.
    package mutating func consume(_ element: Element) {
        switch state {
        case .passed, .failed:
            return
        case .waiting:
            if matches(element, expected[0]) { advance(to: 1) }
        case .inProgress(let matched):
            if matches(element, expected[matched]) {
                advance(to: matched + 1)
            } else {
                state = .failed(index: matched,
                                detail: "expected \(describe(expected[matched])) at position \(matched + 1) of \(expected.count), got \(describe(element))")
            }
        }
    }

    private mutating func advance(to matched: Int) {
        state = matched == expected.count ? .passed : .inProgress(matched: matched)
    }
}

extension SequenceChecker where Element == KeyTransition {
    /// A checker for `KbdifProbe.keyRun()`; autorepeat (value 2) must be filtered by the caller.
    package static func kbdifKeys() -> SequenceChecker<KeyTransition> {
        SequenceChecker(expected: KbdifProbe.keyRun(), matches: { $0 == $1 }) { event in
            let action = event.value == 1 ? "press" : (event.value == 0 ? "release" : "value \(event.value)")
            return "key \(event.code) \(action)"
        }
    }
}

extension SequenceChecker where Element == PointerPosition {
    /// A checker for `KbdifProbe.positions`, allowing `tolerance` units of
    /// rounding when the backend scales between the device's and the frontend's ranges.
    package static func kbdifPositions(tolerance: Int32 = 2) -> SequenceChecker<PointerPosition> {
        SequenceChecker(expected: KbdifProbe.positions, matches: { got, want in
            abs(got.x - want.x) <= tolerance && abs(got.y - want.y) <= tolerance
        }) { "(\($0.x),\($0.y))" }
    }
}

extension CheckState: CustomStringConvertible {
    package var description: String {
        switch self {
        case .waiting: return "waiting for the first event"
        case .inProgress(let matched): return "\(matched) in order so far"
        case .passed: return "passed"
        case .failed(let index, let detail): return "failed at \(index + 1): \(detail)"
        }
    }
}
