// SPDX-License-Identifier: GPL-2.0-only OR MIT
import KbdIf
import XenCore
import XenSimulator

/// A simulated host with a kbdif backend in a driver domain, fed by a scripted
/// input device, and any number of vkbd frontends: the fixture shared by the
/// tests, the Embedded self-test and the benchmark.
package final class KbdScenario {
    package let simulator = XenSimulator()
    package let toolstack: SimulatedToolstack
    package let backendDomain: DomainID
    package let platform: SimulatedPlatform
    package let input: ScriptedInputSource
    package let backend: KbdIfBackend<SimulatedPlatform, ScriptedInputSource>
    package let loop = PollLoop()

    package init(backendDomain: DomainID = DomainID(1), options: KbdIfOptions = KbdIfOptions(),
                capabilities: InputCapabilities = KbdScenario.touchscreen) {
        self.backendDomain = backendDomain
        toolstack = SimulatedToolstack(simulator: simulator)
        platform = simulator.platform(for: backendDomain)
        input = ScriptedInputSource(capabilities: capabilities)
        let box = LogBox()
        backend = KbdIfBackend(platform: platform, source: input, options: options,
                               log: XenLog { box.lines.append($0) })
        logBox = box
        loop.add(backend)
    }

    private let logBox: LogBox
    final class LogBox { var lines: [String] = [] }

    /// The backend's log lines so far.
    package var log: [String] { logBox.lines }

    /// A device with absolute axes 0…4095 and ten touch slots.
    package static let touchscreen = InputCapabilities(
        absoluteX: AxisRange(minimum: 0, maximum: 4095), absoluteY: AxisRange(minimum: 0, maximum: 4095),
        touchX: AxisRange(minimum: 0, maximum: 4095), touchY: AxisRange(minimum: 0, maximum: 4095), touchSlots: 10)

    /// Starts the backend.
    package func start() throws(XenError) { try backend.start() }

    /// Creates vkbd device `devid` for `domain` with the toolstack and a
    /// frontend following it, and starts the frontend.
    package func addFrontend(domain: DomainID, devid: UInt32 = 0,
                            requests: SimulatedKbdFrontend.Requests) throws(XenError) -> SimulatedKbdFrontend {
        let paths = try toolstack.createDevice(type: KbdIfWire.deviceType, backend: backendDomain, frontend: domain, devid: devid)
        let frontend = try SimulatedKbdFrontend(simulator: simulator, domain: domain, frontendPath: paths.frontend,
                                                requests: requests)
        loop.add(frontend)
        try frontend.start()
        return frontend
    }

    /// Runs the simulation until nothing is left to do.
    package func run() throws(XenError) { try loop.runUntilIdle() }

    /// The backend's state node for a device.
    package func backendState(frontend: DomainID, devid: UInt32 = 0) -> XenbusState? {
        let paths = SimulatedToolstack.paths(type: KbdIfWire.deviceType, backend: backendDomain, frontend: frontend, devid: devid)
        guard let text = toolstack.read(XenPath.join(paths.backend, "state")) else { return nil }
        return XenbusState(node: text)
    }

    /// Device paths of `frontend`'s device `devid`.
    package func paths(frontend: DomainID, devid: UInt32 = 0) -> SimulatedToolstack.DevicePaths {
        SimulatedToolstack.paths(type: KbdIfWire.deviceType, backend: backendDomain, frontend: frontend, devid: devid)
    }
}
