// SPDX-License-Identifier: Apache-2.0
import DriverdomBuild
import DriverdomConfig
import Foundation
import QEMURunner

/// One QEMU session of a built image: prepares the session's control
/// initramfs (``SessionKit``), boots Xen, dom0, DomD and the guests under
/// `qemu-system-aarch64`, and judges what the console said.
public struct ImageSession {
    public var configuration: Configuration
    public var kind: SessionKind
    public var locations: BuildLocations
    /// Use only the lock and the package cache.
    public var offline: Bool

    public init(configuration: Configuration, kind: SessionKind, locations: BuildLocations, offline: Bool = false) {
        self.configuration = configuration
        self.kind = kind
        self.locations = locations
        self.offline = offline
    }

    /// Where the session's files go: `<cache>/sessions/<image>-<kind>`.
    public var folder: URL {
        locations.cache.appendingPathComponent("sessions")
            .appendingPathComponent("\(configuration.image.name)-\(kind.rawValue)")
    }

    /// The built image's boot files in its output folder.
    public func builtImage() throws(SystemTestError) -> BuiltImage {
        try BuiltImage(outputFolder: locations.outputFolder(image: configuration.image.name))
    }

    /// Fetches and cross-compiles the probes, assembles the session's control
    /// initramfs, and returns the machine to boot.
    public func prepare(packageRoot: URL) throws -> XenMachine {
        let image = try builtImage()
        let packages = try TargetPackages(configuration: configuration,
                                          architecture: configuration.board.architecture,
                                          cache: locations.packageCache)
        let lock = try packages.lock(offline: offline)
        let probes = try Probes.prepare(packages: packages, lock: lock, packageRoot: packageRoot,
                                        cache: locations.packageCache, folder: folder, offline: offline,
                                        sound: Probes.testsSound(configuration))
        let initramfs = try SessionKit(configuration: configuration, kind: kind)
            .assemble(image, probes: probes, folder: folder)
        return Self.machine(for: configuration, artifacts: BootArtifacts(xen: image.xen, kernel: image.kernel,
                                                                        initramfs: initramfs))
    }

    /// The QEMU machine for `configuration`: `xsm=dummy` lets a separate driver
    /// domain bind event channels with the guests (Xen 4.17 on arm defaults to SILO).
    public static func machine(for configuration: Configuration, artifacts: BootArtifacts) -> XenMachine {
        let domdMiB = configuration.image.driverDomain.mode == .separate
            ? Int(configuration.image.driverDomain.memory.bytes >> 20) : 0
        let guestsMiB = configuration.image.guests.reduce(0) { $0 + Int($1.memory.bytes >> 20) }
        let dom0MiB = 512
        let total = max(2048, dom0MiB + domdMiB + guestsMiB + 256)
        return XenMachine(artifacts: artifacts, memoryMiB: total, cpus: 2, dom0MemoryMiB: dom0MiB,
                          xenArguments: ["xsm=dummy"])
    }

    /// Boots `machine`, streaming the console to `output`.
    public func boot(_ machine: XenMachine, timeout: Double?, output: (String) -> Void) throws(RunError) -> RunOutcome {
        let options = RunOptions(timeout: timeout, stopWhenDone: kind == .test, interactive: kind == .interactive)
        return try QEMURun.run(machine, options: options, output: output)
    }

    /// The per-layer report of a test session's outcome.
    public func report(_ outcome: RunOutcome) -> TestReport {
        let console = outcome.console
        var failure: String?
        if let fatal = console.fatalLine {
            failure = "the system died: \(fatal)"
        } else if outcome.timedOut {
            failure = RunError.timedOut(seconds: outcome.elapsed, lastLine: console.lastLine).description
        } else if !console.finished {
            failure = "the run ended before the test finished; last console line: \(console.lastLine ?? "none")"
        }
        return TestReport.judge(layers: configuration.image.layers.map(\.layer),
                                guests: configuration.image.guests.count,
                                guestsPerLayer: ["sndif": configuration.image.guests.filter { !$0.vsnd.isEmpty }.count],
                                verdicts: console.verdicts, runFailure: failure)
    }
}
