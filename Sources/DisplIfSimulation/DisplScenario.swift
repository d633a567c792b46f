// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import XenCore
import XenSimulator

/// A simulated host with a displif backend in a driver domain, a recording
/// display sink, and any number of vdispl frontends: the fixture shared by the
/// tests and the benchmark.
package final class DisplScenario {
    package let simulator = XenSimulator()
    package let toolstack: SimulatedToolstack
    package let backendDomain: DomainID
    package let platform: SimulatedPlatform
    package let sink: RecordingDisplaySink
    package let backend: DisplIfBackend<SimulatedPlatform, RecordingDisplaySink>
    package let loop = PollLoop()
    /// Outputs `addFrontend` binds connectors to, by unique-id; others go to `defaultOutput`.
    package var outputs: [String: String]
    package var defaultOutput: String
    private let logBox = LogBox()
    final class LogBox { var lines: [String] = [] }

    package init(backendDomain: DomainID = DomainID(1), vsync: Bool = false, options: DisplIfOptions = DisplIfOptions(),
                knownOutputs: [String]? = nil, outputs: [String: String] = [:], defaultOutput: String = "Virtual-1") {
        self.backendDomain = backendDomain
        self.outputs = outputs
        self.defaultOutput = defaultOutput
        toolstack = SimulatedToolstack(simulator: simulator)
        platform = simulator.platform(for: backendDomain)
        sink = RecordingDisplaySink(vsync: vsync, knownOutputs: knownOutputs)
        let box = logBox
        backend = DisplIfBackend(platform: platform, sink: sink, options: options, log: XenLog { box.lines.append($0) })
        loop.add(backend)
    }

    /// The backend's log lines so far.
    package var log: [String] { logBox.lines }

    /// Starts the backend.
    package func start() throws(XenError) { try backend.start() }

    /// Binds connector `uniqueID` of `domain` to `output`, as the image config
    /// would; the domain gets its default name if it has none.
    package func bind(domain: DomainID, uniqueID: String, output: String) throws(XenError) {
        let guest = try toolstack.ensureNamed(domain)
        backend.bindings.add(GuestBinding(guest: guest, id: uniqueID, target: output))
    }

    /// Creates vdispl device `devid` for `domain` as libxl does (device
    /// directories, `be-alloc`, each connector's `resolution` and `unique-id`),
    /// and attaches a frontend to it. With `bind`, each connector is bound to
    /// `outputs[unique-id]` or `defaultOutput`.
    package func addFrontend(domain: DomainID, devid: UInt32 = 0, backendAlloc: Bool = false,
                            connectors: [(uniqueID: String, resolution: String)],
                            bind: Bool = true) throws(XenError) -> SimulatedDisplFrontend {
        _ = try toolstack.ensureNamed(domain)
        if bind {
            for connector in connectors {
                try self.bind(domain: domain, uniqueID: connector.uniqueID,
                              output: outputs[connector.uniqueID] ?? defaultOutput)
            }
        }
        let paths = try toolstack.createDevice(type: DisplIfWire.deviceType, backend: backendDomain, frontend: domain, devid: devid)
        try toolstack.store.write(XenPath.join(paths.frontend, DisplIfWire.fieldBackendAlloc), backendAlloc ? "1" : "0")
        for (index, connector) in connectors.enumerated() {
            let path = paths.frontend + "/" + String(index)
            try toolstack.store.write(XenPath.join(path, DisplIfWire.fieldResolution), connector.resolution)
            try toolstack.store.write(XenPath.join(path, DisplIfWire.fieldUniqueID), connector.uniqueID)
        }
        return try SimulatedDisplFrontend(simulator: simulator, domain: domain, frontendPath: paths.frontend)
    }

    /// Runs the simulation until nothing is left to do.
    package func run() throws(XenError) { try loop.runUntilIdle() }

    /// The backend's state node for a device.
    package func backendState(frontend: DomainID, devid: UInt32 = 0) -> XenbusState? {
        let paths = SimulatedToolstack.paths(type: DisplIfWire.deviceType, backend: backendDomain, frontend: frontend, devid: devid)
        guard let text = toolstack.read(XenPath.join(paths.backend, "state")) else { return nil }
        return XenbusState(node: text)
    }

    /// The backend's device serving `frontend`'s card `devid`.
    package func device(frontend: DomainID, devid: UInt32 = 0) -> DisplDevice<SimulatedPlatform, RecordingDisplaySink>? {
        backend.backend.device(frontend: frontend, name: String(devid))
    }
}
