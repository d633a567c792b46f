// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import KbdIf
import KbdIfSimulation
import Testing
import XenCore

/// A slow frontend: events wait in the backlog, none is lost silently.
@Suite struct BackPressureTests {
    let guest = DomainID(2)

    func keyStrokes(_ count: Int) -> [InputEvent] {
        var events: [InputEvent] = []
        for index in 0..<count {
            events.append(key(Int32(KEY_1) + Int32(index % 10), 1))
            events.append(syn)
        }
        return events
    }

    @Test func fullRingQueuesAndDeliversInOrderLater() throws {
        let scenario = KbdScenario()
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: guest, requests: .init())
        try scenario.run()
        frontend.paused = true
        scenario.input.push(keyStrokes(200))
        try scenario.run()
        let device = try #require(scenario.backend.devices.first)
        #expect(device.eventsDelivered == Int(KbdIfWire.inRingLength))
        #expect(device.backlog.count == 200 - Int(KbdIfWire.inRingLength))
        frontend.paused = false
        frontend.consume()
        try scenario.run()
        #expect(frontend.received.count == 200)
        #expect(frontend.received == (0..<200).map { .key(code: UInt32(Int32(KEY_1) + Int32($0 % 10)), pressed: true) })
        #expect(device.backlog.overflowCount == 0)
    }

    @Test func overflowIsCountedAndLogged() throws {
        var options = KbdIfOptions()
        options.backlogCapacity = 10
        let scenario = KbdScenario(options: options)
        try scenario.start()
        let frontend = try scenario.addFrontend(domain: guest, requests: .init())
        try scenario.run()
        frontend.paused = true
        scenario.input.push(keyStrokes(100))
        try scenario.run()
        let device = try #require(scenario.backend.devices.first)
        let lost = 100 - Int(KbdIfWire.inRingLength) - 10
        #expect(device.backlog.overflowCount == lost)
        #expect(scenario.log.contains { $0.contains("backlog of 10 full") })
        frontend.paused = false
        frontend.consume()
        try scenario.run()
        #expect(frontend.received.count == 100 - lost)
        #expect(scenario.log.contains { $0.contains("caught up; \(lost) event(s) were dropped") })
    }

    @Test func oneSlowFrontendDoesNotStallAnother() throws {
        let scenario = KbdScenario()
        try scenario.start()
        let slow = try scenario.addFrontend(domain: guest, requests: .init())
        let fast = try scenario.addFrontend(domain: DomainID(3), requests: .init())
        try scenario.run()
        slow.paused = true
        scenario.input.push(keyStrokes(300))
        try scenario.run()
        #expect(fast.received.count == 300)
        #expect(slow.received.isEmpty)
    }
}
