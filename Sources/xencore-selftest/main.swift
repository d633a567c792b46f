// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// xencore-selftest: runs a vkbd handshake and an input scenario on the
// simulated Xen host and exits 0 if everything matched, 1 otherwise. Built in
// Embedded mode for the board and run under qemu-aarch64 by CI.
import CLinux
import KbdIf
import KbdIfSimulation
import XenCore
import XenSimulator

clinux_stdout_line_buffered()

/// Runs the scenario and prints each check; returns how many failed.
func runSelfTest() throws(XenError) -> Int {
    var failures = 0
    func check(_ condition: Bool, _ what: String) {
        if condition {
            print("ok: " + what)
        } else {
            print("FAIL: " + what)
            failures += 1
        }
    }
    let scenario = KbdScenario()
    try scenario.start()
    let guest = DomainID(2)
    let frontend = try scenario.addFrontend(domain: guest, requests: .init(absolute: true, multiTouch: true))
    try scenario.run()
    check(scenario.backendState(frontend: guest) == .connected, "backend Connected after handshake")
    check(frontend.state == .connected, "frontend Connected after handshake")
    check(scenario.simulator.liveMappingCount == 1, "one grant mapping while connected")

    let EV_KEY16 = UInt16(EV_KEY), EV_ABS16 = UInt16(EV_ABS), EV_SYN16 = UInt16(EV_SYN)
    scenario.input.push([
        InputEvent(type: EV_KEY16, code: UInt16(KEY_A), value: 1),
        InputEvent(type: EV_SYN16, code: UInt16(SYN_REPORT), value: 0),
        InputEvent(type: EV_ABS16, code: UInt16(ABS_X), value: 4095),
        InputEvent(type: EV_ABS16, code: UInt16(ABS_Y), value: 0),
        InputEvent(type: EV_SYN16, code: UInt16(SYN_REPORT), value: 0),
        InputEvent(type: EV_ABS16, code: UInt16(ABS_MT_SLOT), value: 1),
        InputEvent(type: EV_ABS16, code: UInt16(ABS_MT_TRACKING_ID), value: 7),
        InputEvent(type: EV_ABS16, code: UInt16(ABS_MT_POSITION_X), value: 0),
        InputEvent(type: EV_ABS16, code: UInt16(ABS_MT_POSITION_Y), value: 4095),
        InputEvent(type: EV_SYN16, code: UInt16(SYN_REPORT), value: 0),
    ])
    try scenario.run()
    let expected: [KbdEvent] = [
        .key(code: UInt32(KEY_A), pressed: true),
        .position(x: 1920, y: 0, dz: 0),
        .touchDown(contact: 1, x: 0, y: 1080),
        .touchSyn(contact: 1),
    ]
    check(frontend.received == expected, "key, position and touch events arrive translated")

    frontend.close()
    try scenario.run()
    check(scenario.backendState(frontend: guest) == .closed, "backend Closed after frontend close")
    check(scenario.simulator.leakReport().isEmpty, "no grant mapping left after close")

    frontend.reconnect()
    try scenario.run()
    check(scenario.backendState(frontend: guest) == .connected, "backend Connected again after reconnect")
    try scenario.toolstack.destroyDomain(guest)
    try scenario.run()
    check(scenario.backendState(frontend: guest) == nil, "driver domain removed its backend nodes after the guest vanished")
    check(scenario.simulator.leakReport().isEmpty, "no grant mapping left after the guest vanished")
    return failures
}

let failures: Int
do {
    failures = try runSelfTest()
} catch {
    print("FAIL: " + error.description)
    failures = 1
}
print(failures == 0 ? "xencore-selftest: PASS" : "xencore-selftest: FAIL")
exit(failures == 0 ? 0 : 1)
