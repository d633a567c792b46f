// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import XenCore

/// One case per transition of `BackendStateMachine` (xen/io/xenbus.h).
@Suite struct BackendStateMachineTests {
    struct Transition: CustomTestStringConvertible, Sendable {
        let backend: XenbusState
        let frontend: FrontendObservation
        let action: BackendAction
        var testDescription: String { "\(backend) + \(frontend) -> \(action)" }
    }

    static let transitions: [Transition] = [
        Transition(backend: .initWait, frontend: .notYet, action: .none),
        Transition(backend: .initWait, frontend: .state(.initialising), action: .none),
        Transition(backend: .initWait, frontend: .state(.initialised), action: .connect),
        Transition(backend: .initWait, frontend: .state(.connected), action: .connect),
        Transition(backend: .connected, frontend: .state(.connected), action: .none),
        Transition(backend: .connected, frontend: .state(.closing), action: .disconnect(to: .closing)),
        Transition(backend: .initWait, frontend: .state(.closing), action: .disconnect(to: .closing)),
        Transition(backend: .closing, frontend: .state(.closed), action: .disconnect(to: .closed)),
        Transition(backend: .connected, frontend: .state(.closed), action: .disconnect(to: .closed)),
        Transition(backend: .closed, frontend: .state(.closed), action: .none),
        Transition(backend: .closed, frontend: .state(.initialising), action: .reinitialise),
        Transition(backend: .closed, frontend: .state(.unknown), action: .reinitialise),
        Transition(backend: .connected, frontend: .state(.initialising), action: .disconnect(to: .closed)),
        Transition(backend: .closed, frontend: .state(.connected), action: .none),
        Transition(backend: .connected, frontend: .gone, action: .teardown),
        Transition(backend: .closed, frontend: .gone, action: .teardown),
        Transition(backend: .connected, frontend: .invalid("banana"), action: .disconnect(to: .closing)),
        Transition(backend: .closing, frontend: .invalid("99"), action: .none),
        Transition(backend: .connected, frontend: .state(.reconfiguring), action: .disconnect(to: .closing)),
    ]

    @Test(arguments: transitions)
    func transition(_ t: Transition) {
        #expect(BackendStateMachine.action(backend: t.backend, frontend: t.frontend) == t.action)
    }

    /// Applying the machine to any pair settles in at most 4 steps (no ping-pong).
    @Test(arguments: XenbusState.allStates)
    func settles(frontend: XenbusState) {
        for start in XenbusState.allStates {
            var backend = start
            var steps = 0
            loop: while steps < 8 {
                switch BackendStateMachine.action(backend: backend, frontend: .state(frontend)) {
                case .none, .teardown: break loop
                case .reinitialise: backend = .initWait
                case .connect: backend = .connected
                case .disconnect(let to): backend = to
                }
                steps += 1
            }
            #expect(steps <= 4, "backend \(start), frontend \(frontend) did not settle")
        }
    }
}
