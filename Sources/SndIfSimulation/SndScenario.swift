// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import XenCore
import XenSimulator

/// A simulated host with an sndif backend in a driver domain, recording PCM
/// devices behind every stream, and any number of vsnd frontends: the fixture
/// shared by the tests, the Embedded self-test and the benchmark.
package final class SndScenario {
    package let simulator = XenSimulator()
    package let toolstack: SimulatedToolstack
    package let backendDomain: DomainID
    package let platform: SimulatedPlatform
    package let provider: RecordingPCMProvider
    package let backend: SndIfBackend<SimulatedPlatform, RecordingPCMProvider>
    package let loop = PollLoop()
    private let logBox = LogBox()
    final class LogBox { var lines: [String] = [] }

    package init(backendDomain: DomainID = DomainID(1), budget: GrantBudget = GrantBudget(),
                configure: @escaping (RecordingPCMDevice) -> Void = { _ in }) {
        self.backendDomain = backendDomain
        toolstack = SimulatedToolstack(simulator: simulator)
        platform = simulator.platform(for: backendDomain)
        provider = RecordingPCMProvider(configure: configure)
        let box = logBox
        backend = SndIfBackend(platform: platform, provider: provider, bindings: GuestBindings(),
                               log: XenLog { box.lines.append($0) }, budget: budget)
        loop.add(backend)
    }

    /// The backend's log lines so far.
    package var log: [String] { logBox.lines }

    /// Starts the backend.
    package func start() throws(XenError) { try backend.start() }

    /// Binds stream `uniqueID` (`direction`) of `domain` to the recording
    /// device named `device` (default: the unique-id), as the image config
    /// would; the domain gets its default name if it has none.
    package func bind(domain: DomainID, uniqueID: String, direction: PCMDirection, device: String? = nil) throws(XenError) {
        let guest = try toolstack.ensureNamed(domain)
        backend.bindings.add(GuestBinding(guest: guest, id: uniqueID,
                                          direction: direction == .playback ? SndIfWire.streamTypePlayback
                                                                            : SndIfWire.streamTypeCapture,
                                          target: device ?? uniqueID))
    }

    /// Creates vsnd device `devid` for `domain` as libxl does (device
    /// directories, then the card's `card` nodes and each PCM device's streams
    /// with `type` and `unique-id`), and attaches a frontend to it. With
    /// `bind`, each declared stream is bound to a device named like its unique-id.
    package func addFrontend(domain: DomainID, devid: UInt32 = 0, card: [String: String] = [:],
                            pcms: [[SndStreamSpec]], bind: Bool = true) throws(XenError) -> SimulatedSndFrontend {
        _ = try toolstack.ensureNamed(domain)
        if bind {
            for spec in pcms.joined() { try self.bind(domain: domain, uniqueID: spec.uniqueID, direction: spec.direction) }
        }
        let paths = try toolstack.createDevice(type: SndIfWire.deviceType, backend: backendDomain, frontend: domain, devid: devid)
        for key in card.keys.sorted() { try toolstack.store.write(XenPath.join(paths.frontend, key), card[key]!) }
        for (pcmIndex, streams) in pcms.enumerated() {
            for (streamIndex, spec) in streams.enumerated() {
                let path = paths.frontend + "/" + String(pcmIndex) + "/" + String(streamIndex)
                try toolstack.store.write(XenPath.join(path, SndIfWire.fieldType),
                                          spec.direction == .playback ? SndIfWire.streamTypePlayback : SndIfWire.streamTypeCapture)
                try toolstack.store.write(XenPath.join(path, SndIfWire.fieldUniqueID), spec.uniqueID)
                for key in spec.nodes.keys.sorted() { try toolstack.store.write(XenPath.join(path, key), spec.nodes[key]!) }
            }
        }
        return try SimulatedSndFrontend(simulator: simulator, domain: domain, frontendPath: paths.frontend)
    }

    /// Runs the simulation until nothing is left to do.
    package func run() throws(XenError) { try loop.runUntilIdle() }

    /// The backend's state node for a device.
    package func backendState(frontend: DomainID, devid: UInt32 = 0) -> XenbusState? {
        let paths = SimulatedToolstack.paths(type: SndIfWire.deviceType, backend: backendDomain, frontend: frontend, devid: devid)
        guard let text = toolstack.read(XenPath.join(paths.backend, "state")) else { return nil }
        return XenbusState(node: text)
    }

    /// The backend's device serving `frontend`'s card `devid`.
    package func device(frontend: DomainID, devid: UInt32 = 0) -> SndDevice<SimulatedPlatform, RecordingPCMProvider>? {
        backend.backend.device(frontend: frontend, name: String(devid))
    }
}
