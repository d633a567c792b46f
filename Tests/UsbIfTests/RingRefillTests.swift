// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore

/// A frontend that fills the URB ring between two turns of the backend is
/// served, and its next request is too: the channel's per-turn budget (one
/// ring's worth) can run out on the ring's last request, and the backend must
/// still ask to be notified of the next one (found by the usbif fuzz target:
/// the ring stayed full with the backend idle).
@Suite struct RingRefillTests {
    @Test func aFullRingServedInOneTurnStillNotifiesTheBackendOfTheNextRequest() throws {
        let fixture = try UsbFixture()
        let entries = Int(try #require(fixture.frontend.urbRing).geometry.entries)
        func invalidPortRequest() -> UrbRequest {  // answered at once: port 9 of 8
            UrbRequest(id: fixture.id(), pipe: UsbPipe(port: 9, device: 0, endpoint: 0, isIn: true, type: .control),
                       specific: UsbFixture.setup(0x80, UsbIfWire.requestGetDescriptor, length: 8))
        }
        for _ in 0..<entries { try fixture.frontend.submit(invalidPortRequest()) }
        try fixture.scenario.run()
        #expect(try fixture.frontend.responses().count == entries)
        for round in 0..<3 {
            try fixture.frontend.submit(invalidPortRequest())
            try fixture.scenario.run()
            #expect(try fixture.frontend.responses().count == 1, "round \(round): the request after a full ring got no answer")
        }
    }
}
