// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import CrossToolchain
import DriverdomBuild
import DriverdomConfig
import Foundation
import QEMURunner

/// One QEMU session of a built image: prepares the session's control
/// initramfs (``SessionPlan``, cached steps on the build engine), boots Xen,
/// dom0, DomD and the guests under `qemu-system-aarch64`, and judges what the
/// console said.
package struct ImageSession {
    package var configuration: Configuration
    package var kind: SessionKind
    package var locations: BuildLocations
    /// Use only the lock and the package cache.
    package var offline: Bool

    package init(configuration: Configuration, kind: SessionKind, locations: BuildLocations, offline: Bool = false) {
        self.configuration = configuration
        self.kind = kind
        self.locations = locations
        self.offline = offline
    }

    /// The built image's boot files in its output folder.
    package func builtImage() throws(SystemTestError) -> BuiltImage {
        try BuiltImage(outputFolder: locations.outputFolder(image: configuration.image.name))
    }

    /// Seconds dom0's session script waits for each guest.
    package var guestSeconds: Int { kind == .interactive ? 300 : 180 }

    /// Cross-compiles the probes, gathers the session kit and assembles the
    /// session's control initramfs — each a step of the build engine, taken from
    /// the build's step cache when its inputs did not change and reported to
    /// `reporter` — and returns the machine to boot. Throws
    /// ``SystemTestError/prepareInterrupted`` when `cancellation` is cancelled.
    package func prepare(packageRoot: URL, reporter: any BuildReporter = NullReporter(),
                        cancellation: CancellationToken = CancellationToken()) throws -> XenMachine {
        let image = try builtImage()
        let packages = try TargetPackages(configuration: configuration,
                                          architecture: configuration.board.architecture,
                                          cache: locations.packageCache)
        let lock = try packages.lock(offline: offline)
        let toolchain = try SwiftToolchain.fromPath()
        let sound = Probes.testsSound(configuration)
        let display = DisplayTestPlan.plan(for: configuration) != nil
        let usbIso = kind == .test && UsbTestPlan.plan(for: configuration)?.vhci != nil
        let shared = BuildSession(configuration: configuration, packageRoot: packageRoot, packages: packages, lock: lock,
                                  offline: offline, toolchain: toolchain, toolCache: locations.packageCache)
        let resolver = PlanInputResolver(packageRoot: packageRoot, planningCache: locations.planningCache)
        let manifest = PackageManifest(packageRoot: packageRoot, cacheFolder: locations.planningCache)
        let graph = try manifest.moduleGraph()
        var digests: [String: String] = [:]
        for product in Probes.products(sound: sound, display: display, usbIso: usbIso) {
            digests[product] = try manifest.executableDigest(product, in: graph)
        }
        let plan = SessionPlan(kit: SessionKit(configuration: configuration, kind: kind, guestSeconds: guestSeconds),
                               image: image, session: shared, sound: sound, display: display, usbIso: usbIso)
        let steps = plan.plan(toolchainVersion: try toolchain.version(rememberedIn: locations.planningCache), executableDigests: digests,
                              assemblerDigest: try resolver.assemblerDigest())
        let options = BuildOptions(cacheDirectory: locations.stepCache.path, outputDirectory: nil, jobs: 1,
                                   reporter: reporter, cancellation: cancellation)
        let result = BuildEngine.run(steps, options: options)
        switch result.status {
        case .succeeded:
            guard let folder = result.outputs[plan.initramfsID] else {
                throw SystemTestError.prepareFailed(step: plan.initramfsID.rawValue, reason: "the engine returned no output")
            }
            let initramfs = folder.appendingPathComponent(SessionPlan.archiveName)
            var machine = Self.machine(for: configuration, artifacts: BootArtifacts(xen: image.xen, kernel: image.kernel,
                                                                                   initramfs: initramfs, disk: image.disk))
            machine.console = kind == .interactive ? .terminal : .plain
            let overlay = folder.appendingPathComponent(SessionKit.hostOverlayName)
            if FileManager.default.fileExists(atPath: overlay.path) {
                let scratch = FileManager.default.temporaryDirectory
                    .appendingPathComponent("driverdom-session-\(UUID().uuidString.prefix(8))")
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                machine.deviceTree = try SessionDeviceTree.make(for: machine, overlay: overlay, emulator: emulator, in: scratch,
                                                                tools: ProcessToolRunner(cancellation: cancellation))
                if kind == .test, PassthroughTestPlan.plan(for: configuration) != nil {
                    machine.qmpSocket = scratch.appendingPathComponent("qmp.sock").path
                }
            }
            return machine
        case .interrupted:
            throw SystemTestError.prepareInterrupted
        case let .failed(step, error):
            throw SystemTestError.prepareFailed(step: step?.rawValue ?? "planning", reason: error.description)
        }
    }

    /// The QEMU machine for `configuration`: `xsm=dummy` lets a separate driver
    /// domain bind event channels with the guests (Xen 4.17 on arm defaults to SILO).
    package static func machine(for configuration: Configuration, artifacts: BootArtifacts) -> XenMachine {
        let domdMiB = configuration.image.driverDomain.mode == .separate
            ? Int(configuration.image.driverDomain.domainMemory.bytes >> 20) : 0
        let guestsMiB = configuration.image.guests.reduce(0) { $0 + Int($1.memory.bytes >> 20) }
        let dom0MiB = 512
        let total = max(2048, dom0MiB + domdMiB + guestsMiB + 256)
        return XenMachine(artifacts: artifacts, memoryMiB: total, cpus: 2, dom0MemoryMiB: dom0MiB,
                          xenArguments: ["xsm=dummy"])
    }

    /// Boots `machine`, streaming the console to `output`. An interactive session
    /// hands the terminal to QEMU; with `stopOnSignals` (the command line's
    /// runs) SIGINT, SIGTERM and SIGHUP stop QEMU and end the run (the outcome names the signal).
    package func boot(_ machine: XenMachine, timeout: Double?, stopOnSignals: Bool = false,
                     output: (String) -> Void) throws(RunError) -> RunOutcome {
        var options = RunOptions(timeout: timeout, stopWhenDone: kind == .test, interactive: kind == .interactive,
                                 stopOnSignals: stopOnSignals, emulator: emulator)
        if let socket = machine.qmpSocket {
            // The only button QEMU's virt machine has is its power button, pressed by system_powerdown.
            options.press = { button in
                guard button == PassthroughTestPlan.button else { return "no way to press '\(button)' on this machine" }
                do {
                    _ = try QMPClient(socketPath: socket).execute(PassthroughTestPlan.qmpCommand)
                    return "pressed \(button) (QMP \(PassthroughTestPlan.qmpCommand) on \(socket))"
                } catch {
                    return "could not press \(button): \(error)"
                }
            }
        }
        defer {
            // The session's scratch folder (Xen's device tree, the QMP socket).
            if let tree = machine.deviceTree, tree.deletingLastPathComponent().lastPathComponent.hasPrefix("driverdom-session-") {
                try? FileManager.default.removeItem(at: tree.deletingLastPathComponent())
            }
        }
        return try QEMURun.run(machine, options: options, output: output)
    }

    /// The emulator program sessions run.
    package var emulator = "qemu-system-aarch64"

    /// The per-layer report of a test session's outcome, each layer judged by the checks its layer.yaml declares.
    package func report(_ outcome: RunOutcome) -> TestReport {
        let console = outcome.console
        let failure = Self.runFailure(of: outcome)
        let expected = LayerChecks(configuration: configuration)
        return TestReport.judge(layers: configuration.image.layers.map(\.layer), checks: expected.checks,
                                guests: configuration.image.guests.count, guestsPerLayer: expected.guestsPerLayer,
                                extraChecks: expected.extraChecks, checkCounts: expected.checkCounts,
                                verdicts: console.verdicts, runFailure: failure)
    }

    /// Why the run as a whole failed, or nil: the system died, the run was
    /// interrupted or timed out, the test never finished, or any kernel (Xen,
    /// dom0, DomD, a guest) reported a warning, bug or oops on its console.
    package static func runFailure(of outcome: RunOutcome) -> String? {
        let console = outcome.console
        if let fatal = console.fatalLine { return "the system died: \(fatal)" }
        if let failure = console.controlFailure { return "dom0's init could not bring the domains up: \(failure)" }
        if let signal = outcome.interruption { return "the run was interrupted by signal \(signal)" }
        if outcome.timedOut {
            return RunError.timedOut(seconds: outcome.elapsed, lastLine: console.lastLine).description
        }
        if !console.finished {
            return "the run ended before the test finished; last console line: \(console.lastLine ?? "none")"
        }
        if let first = console.kernelProblems.first {
            let more = console.kernelProblems.count - 1
            return "a kernel reported a fault: \(first)"
                + (more > 0 ? " (and \(more) more such line\(more == 1 ? "" : "s"))" : "")
        }
        return nil
    }
}
