// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import XenCore

@Suite struct XenPathTests {
    @Test(arguments: [("0", UInt32(0)), ("42", 42), ("4294967295", UInt32.max)])
    func parsesUnsignedDecimals(text: String, value: UInt32) {
        #expect(XenPath.parseUInt32(text) == value)
    }

    @Test(arguments: ["", "-1", "+1", "1 ", " 1", "0x10", "4294967296", "99999999999", "1a"])
    func rejectsAnythingElse(text: String) {
        #expect(XenPath.parseUInt32(text) == nil)
    }

    @Test func pathHelpers() {
        #expect(XenPath.backendRoot(backend: DomainID(3), type: "vkbd") == "/local/domain/3/backend/vkbd")
        #expect(XenPath.isWithin("/a/b/c", "/a/b"))
        #expect(XenPath.isWithin("/a/b", "/a/b"))
        #expect(!XenPath.isWithin("/a/bc", "/a/b"))
        #expect(XenPath.lastComponent("/a/b/c") == "c")
        #expect(XenPath.parent("/a/b/c") == "/a/b")
        #expect(XenPath.parent("/a") == "/")
        #expect(XenPath.parseDomain("32752") == nil)
        #expect(XenPath.parseDomain("7") == DomainID(7))
    }

    @Test(arguments: XenbusState.allStates)
    func stateNodesRoundTrip(state: XenbusState) {
        #expect(XenbusState(node: state.nodeValue) == state)
    }

    @Test func invalidStateNodes() {
        #expect(XenbusState(node: "9") == nil)
        #expect(XenbusState(node: "Connected") == nil)
    }
}

extension XenbusState {
    static let allStates: [XenbusState] = [.unknown, .initialising, .initWait, .initialised, .connected,
                                           .closing, .closed, .reconfiguring, .reconfigured]
}
