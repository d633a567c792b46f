// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import KbdIf
import KbdIfSimulation
import Testing
import XenCore
import XenSimulator

/// One backend, several input devices: each vkb gets the device bound to its
/// `unique-id` (xl's vkb `unique-id=`, written by libxl into the backend
/// directory), a vkb with another id the default device, none when there is none.
@Suite struct UniqueIDSourceTests {
    let guest = DomainID(2)
    let backendDomain = DomainID(1)

    struct Setup {
        let simulator = XenSimulator()
        let toolstack: SimulatedToolstack
        let keyboard = ScriptedInputSource(capabilities: InputCapabilities())
        let button = ScriptedInputSource(capabilities: InputCapabilities())
        let backend: KbdIfBackend<SimulatedPlatform, ScriptedInputSource>
        let loop = PollLoop()

        init(backendDomain: DomainID, defaultSource: Bool) {
            toolstack = SimulatedToolstack(simulator: simulator)
            var sources = [KbdSourceBinding(uniqueID: "power0", source: button)]
            sources.insert(KbdSourceBinding(uniqueID: defaultSource ? nil : "kbd0", source: keyboard), at: 0)
            backend = KbdIfBackend(platform: simulator.platform(for: backendDomain), sources: sources,
                                   options: KbdIfOptions(), log: XenLog { _ in })
            loop.add(backend)
        }

        func addFrontend(domain: DomainID, backend: DomainID, devid: UInt32, uniqueID: String) throws -> SimulatedKbdFrontend {
            let paths = try toolstack.createDevice(type: KbdIfWire.deviceType, backend: backend, frontend: domain, devid: devid)
            try toolstack.store.write(XenPath.join(paths.backend, KbdIfWire.uniqueID), uniqueID)
            let frontend = try SimulatedKbdFrontend(simulator: simulator, domain: domain, frontendPath: paths.frontend,
                                                    requests: .init())
            loop.add(frontend)
            try frontend.start()
            return frontend
        }
    }

    func press(_ code: Int32) -> [InputEvent] {
        [InputEvent(type: UInt16(EV_KEY), code: UInt16(code), value: 1), InputEvent(type: UInt16(EV_SYN), code: 0, value: 0),
         InputEvent(type: UInt16(EV_KEY), code: UInt16(code), value: 0), InputEvent(type: UInt16(EV_SYN), code: 0, value: 0)]
    }

    @Test func eachVkbGetsTheDeviceOfItsUniqueID() throws {
        let setup = Setup(backendDomain: backendDomain, defaultSource: false)
        try setup.backend.start()
        let keyboard = try setup.addFrontend(domain: guest, backend: backendDomain, devid: 0, uniqueID: "kbd0")
        let button = try setup.addFrontend(domain: guest, backend: backendDomain, devid: 1, uniqueID: "power0")
        try setup.loop.runUntilIdle()
        #expect(setup.backend.devices.map(\.sourceIndex).sorted() == [0, 1])
        setup.button.push(press(KEY_POWER))
        setup.backend.pumpInput(1)
        setup.keyboard.push(press(KEY_A))
        setup.backend.pumpInput(0)
        try setup.loop.runUntilIdle()
        #expect(button.received == [.key(code: UInt32(KEY_POWER), pressed: true), .key(code: UInt32(KEY_POWER), pressed: false)])
        #expect(keyboard.received == [.key(code: UInt32(KEY_A), pressed: true), .key(code: UInt32(KEY_A), pressed: false)])
    }

    @Test func anUnboundIDGetsTheDefaultDeviceOrNothing() throws {
        for withDefault in [true, false] {
            let setup = Setup(backendDomain: backendDomain, defaultSource: withDefault)
            try setup.backend.start()
            let other = try setup.addFrontend(domain: guest, backend: backendDomain, devid: 0, uniqueID: "someone-else")
            try setup.loop.runUntilIdle()
            setup.keyboard.push(press(KEY_A))
            setup.backend.pumpInput(0)
            setup.button.push(press(KEY_POWER))
            setup.backend.pumpInput(1)
            try setup.loop.runUntilIdle()
            #expect(other.received == (withDefault ? [.key(code: UInt32(KEY_A), pressed: true),
                                                      .key(code: UInt32(KEY_A), pressed: false)] : []))
        }
    }

    /// Linux 6.1's xen-kbdfront oopses on a key event when its pointer is disabled, so the
    /// backend's own setting replaces the feature-disable-pointer=1 xl writes for `pointer: none`.
    @Test func theBackendKeepsThePointerThatXlDisabled() throws {
        let setup = Setup(backendDomain: backendDomain, defaultSource: false)
        try setup.backend.start()
        let paths = try setup.toolstack.createDevice(type: KbdIfWire.deviceType, backend: backendDomain, frontend: guest, devid: 1)
        try setup.toolstack.store.write(XenPath.join(paths.backend, KbdIfWire.uniqueID), "power0")
        try setup.toolstack.store.write(XenPath.join(paths.backend, KbdIfWire.featureDisablePointer), "1")
        let frontend = try SimulatedKbdFrontend(simulator: setup.simulator, domain: guest, frontendPath: paths.frontend,
                                                requests: .init())
        setup.loop.add(frontend)
        try frontend.start()
        try setup.loop.runUntilIdle()
        #expect(setup.toolstack.read(XenPath.join(paths.backend, KbdIfWire.featureDisablePointer)) == "0")
    }

    /// A unique-id matches a binding only by its exact bytes: "é" written
    /// decomposed (e + U+0301) is not the bound precomposed "é".
    @Test func uniqueIDsMatchByBytesNotByUnicodeEquivalence() {
        let factory = KbdDeviceFactory<SimulatedPlatform>(options: KbdIfOptions(), capabilities: InputCapabilities(),
                                                          log: XenLog { _ in })
        factory.sourceChoices = [.init(uniqueID: "caf\u{E9}", capabilities: InputCapabilities())]
        #expect(factory.sourceIndex(forUniqueID: "caf\u{E9}") == 0)
        #expect(factory.sourceIndex(forUniqueID: "cafe\u{301}") == nil)
        factory.sourceChoices.append(.init(uniqueID: nil, capabilities: InputCapabilities()))
        #expect(factory.sourceIndex(forUniqueID: "cafe\u{301}") == 1)
    }
}
