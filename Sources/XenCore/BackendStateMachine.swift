// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// What the backend saw of the frontend's `state` node.
public enum FrontendObservation: Equatable, Sendable {
    /// The frontend has not written a state yet (the device is being set up).
    case notYet
    /// The frontend was seen before and its state node is now gone (domain destroyed).
    case gone
    /// The state node holds text that is no `XenbusState`.
    case invalid(String)
    case state(XenbusState)
}

/// What the backend does next.
public enum BackendAction: Equatable, Sendable {
    case none
    /// Publish features again and switch to InitWait (reconnect after Closed).
    case reinitialise
    /// Map the frontend's rings, bind its channel, switch to Connected.
    case connect
    /// Release the frontend's resources and switch to `state` (Closing or Closed).
    case disconnect(to: XenbusState)
    /// Release everything, switch to Closed and retire the device.
    case teardown
}

/// The backend side of the xenbus handshake (xen/io/xenbus.h, and how Linux's
/// xen-kbdfront / xen-sndfront drive it):
///
///     (created) --publish--> InitWait --frontend Initialised|Connected--> Connected
///     InitWait|Connected --frontend Closing or invalid state--> Closing
///     any but Closed --frontend Closed--> Closed
///     Connected|Closing --frontend back at Initialising--> Closed --> InitWait (reconnect)
///     Closed --frontend Initialising--> InitWait (reconnect)
///     any --frontend state node gone--> teardown
///
/// A failed connect also leads to Closing. The function is pure; `XenBackend`
/// applies it until it answers `.none`.
public enum BackendStateMachine {
    public static func action(backend: XenbusState, frontend: FrontendObservation) -> BackendAction {
        switch frontend {
        case .notYet:
            return .none
        case .gone:
            return .teardown
        case .invalid:
            return isClosingOrClosed(backend) ? .none : .disconnect(to: .closing)
        case .state(let state):
            switch state {
            case .unknown, .initialising, .initWait:
                if backend == .closed { return .reinitialise }
                if backend == .connected || backend == .closing { return .disconnect(to: .closed) }
                return .none
            case .initialised, .connected:
                return backend == .initWait ? .connect : .none
            case .closing, .reconfiguring, .reconfigured:
                return isClosingOrClosed(backend) ? .none : .disconnect(to: .closing)
            case .closed:
                return backend == .closed ? .none : .disconnect(to: .closed)
            }
        }
    }

    private static func isClosingOrClosed(_ state: XenbusState) -> Bool { state == .closing || state == .closed }
}
