// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DriverdomBuild
import DriverdomConfig
import Foundation

/// The preparation of a QEMU session as build-engine steps, cached in the
/// build's step cache and reported like the build's steps, so a session whose
/// inputs did not change starts at once:
///
/// - `session/compile`: the probes cross-compiled for the board in one SwiftPM
///   build (keyed by each one's sources, the toolchain, the compile flags and the lock);
/// - `session/kit`: the probes with busybox, the kernel modules, aplay and their
///   libraries (``Probes``), keyed by the probes' digests and the locked packages;
/// - `session/initramfs-<kind>`: the built control initramfs with the session's
///   additions (``SessionKit``), keyed by that file, the kit, what the session
///   does with the configuration, and the driverdom executable.
struct SessionPlan {
    /// Bump when the kit's layout or gathering changes (its code is not in its key).
    static let kitVersion = "1"

    let kit: SessionKit
    let image: BuiltImage
    /// The image's packages, lock and cross compiler, shared by the steps.
    let session: BuildSession
    let sound: Bool
    /// Whether the session tests display (the display probe is compiled).
    var display = false
    /// Whether the session runs the usbif isochronous check (its USB/IP device is compiled).
    var usbIso = false

    /// The step that cross-compiles the probes (all in one SwiftPM build).
    static let compileID = StepID("session/compile")
    /// The kit's step id.
    static let kitID = StepID("session/kit")
    /// The initramfs step's id.
    var initramfsID: StepID { StepID("session/initramfs-" + kit.kind.rawValue) }

    /// The engine plan, given the digests the keys need.
    func plan(toolchainVersion: String, executableDigests: [String: String], assemblerDigest: String) -> BuildPlan {
        let architecture = kit.configuration.board.architecture.rawValue
        let lockDigest = TargetPackages.digest(of: session.lock)
        let session = self.session
        let products = Probes.products(sound: sound, display: display, usbIso: usbIso)
        var steps = [Step(id: Self.compileID, description: "cross-compile \(products.joined(separator: ", ")) for \(architecture)",
                          kind: "session-compile",
                          inputs: products.flatMap { product -> [StepInput] in
                              [.value(name: "product", value: product), .value(name: "sources", value: executableDigests[product] ?? "")]
                          } + [
                              .toolVersion("swiftc", toolchainVersion),
                              .flags("compile", PlanInputResolver.compileFlags),
                              .value(name: "lock", value: lockDigest),
                          ]) { context in
            try session.crossCompile(programs: products, into: context.outputDirectory, tools: context.tools)
        }]
        let sound = self.sound
        let usb = UsbTestPlan.plan(for: kit.configuration) != nil
        let usbIso = self.usbIso
        steps.append(Step(id: Self.kitID, description: "gather busybox, kernel modules and libraries for the session",
                          kind: "session-kit", kindVersion: Self.kitVersion,
                          inputs: [.output(of: Self.compileID),
                            .value(name: "lock", value: lockDigest),
                            .value(name: "modules", value: Probes.modules(sound: sound, usb: usb, usbIso: usbIso).joined(separator: " ")),
                            .value(name: "sound", value: String(sound)),
                          ]) { context in
            var probes: [String: URL] = [:]
            for product in products {
                probes[product] = context.outputDirectory(of: Self.compileID).appendingPathComponent(product)
            }
            try Probes.gather(into: context.outputDirectory, probes: probes, sound: sound, usb: usb, usbIso: usbIso, session: session,
                              scratch: context.scratchDirectory, tools: context.tools)
        })
        let kit = self.kit
        let control = image.controlInitramfs
        let guestModules = image.guestModules
        steps.append(Step(id: initramfsID, description: "assemble dom0's initramfs for the \(kit.kind.rawValue) session",
                          kind: "session-initramfs",
                          inputs: [
                            .file(path: control.path, label: "control-initramfs"),
                            .output(of: Self.kitID),
                            .value(name: "session", value: kit.fingerprint(sound: sound, display: display)),
                            .value(name: "driverdom", value: assemblerDigest),
                          ] + (guestModules.map { [.tree(path: $0.path, label: "test-guest-modules")] } ?? [])) { context in
            try kit.assemble(controlInitramfs: control, probes: Probes(kit: context.outputDirectory(of: Self.kitID)),
                             guestModules: guestModules, work: context.scratchDirectory,
                             archive: context.outputDirectory.appendingPathComponent(SessionPlan.archiveName),
                             tools: context.tools)
        })
        return BuildPlan(steps: steps)
    }

    /// The file name of the session's dom0 initramfs in its step's output.
    static let archiveName = "dom0-initrd.cpio.gz"
}

/// Passes a session's step events to the build's reporter, but ends with a
/// session line instead of the build's summary.
package struct SessionReporter: BuildReporter {
    let inner: any BuildReporter
    let finished: @Sendable (BuildResult) -> Void

    /// Passes events to `inner`; calls `finished` instead of reporting the end.
    package init(inner: any BuildReporter, finished: @escaping @Sendable (BuildResult) -> Void) {
        self.inner = inner
        self.finished = finished
    }

    package func report(_ event: BuildEvent) {
        if case .buildFinished(let result) = event {
            finished(result)
        } else {
            inner.report(event)
        }
    }
}
