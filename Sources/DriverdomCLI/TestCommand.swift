// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import BuildEngine
import DriverdomBuild
import DriverdomConfig
import Foundation
import QEMURunner
import SystemTest

/// `driverdom test IMAGE`: build the image, boot it with test guests, print a verdict per layer.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "End-to-end test of an image under QEMU with Xen: a verdict per driver layer.",
        discussion: """
            Builds the image (cached steps are reused), then boots it under \
            qemu-system-aarch64 with a test guest per image guest (the image's kernel, a \
            busybox initramfs with evdev and e2e-input-check). In DomD a uinput device \
            stands in for the input hardware: keys and pointer positions injected there \
            must reach the guest's xen-kbdfront evdev devices in order (kbdif); then dom0 \
            destroys the guest and checks that the backend removed its xenstore nodes \
            (kbdif-teardown). For sound, DomD's snd-aloop stands in for the codec: the \
            guest plays a frame-counter signal with aplay through snd_xen_front and DomD \
            checks every frame arrived intact and in order (sndif-playback); DomD plays \
            the signal into the loopback the guest records with arecord and checks the \
            same way (sndif-capture). An image that passes a QEMU button through \
            (the default image's PL061 power button) boots Xen with QEMU's device \
            tree plus the host overlay; dom0 checks the nodes are hidden from it \
            (passthrough-hidden), the guest asks for the press, driverdom presses it through \
            QMP (system_powerdown) and the guest must read the key down and up on its \
            vkb (passthrough-press). Layers without an end-to-end check (displif, \
            usbif) are reported as such, never as passing.

            Exit status: 0 every checked layer passed, 1 a check failed or the run did not \
            finish, 2 configuration or usage error, 130 SIGINT, SIGTERM or SIGHUP (QEMU is \
            stopped first; it never outlives driverdom).
            """
    )

    @Argument(help: "The image file, e.g. Images/qemu-virt-arm64.yaml.")
    var image: String

    @Option(help: ArgumentHelp("Give up after this many seconds of QEMU.", valueName: "seconds"))
    var timeout: Double = 600  // the default image's five checks take 110-340 s of QEMU on 2 cores

    @Option(help: ArgumentHelp("Output folder (default out/<image name>).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Build cache (default $DRIVERDOM_CACHE or ~/.cache/driverdom).", valueName: "dir"))
    var cache: String?

    @Flag(help: "Use only the lock file and the package cache; never reach the network.")
    var offline = false

    @Flag(name: .customLong("no-build"), help: "Test the existing output; do not build first.")
    var noBuild = false

    @Flag(help: "Print only the verdicts, not the console.")
    var quiet = false

    func validate() throws {
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func run() throws {
        let action = "test \(image)"
        let started = Date()
        let configuration = try Console.loadImage(image, for: "test")
        let locations = BuildLocations(output: out, cache: cache)
        if !noBuild { try build(configuration, locations: locations, action: action) }
        let session = ImageSession(configuration: configuration, kind: .test, locations: locations, offline: offline)
        let runner = SessionRunner(session: session, action: action, verbose: !quiet)
        let machine = try runner.prepare()
        let outcome = try runner.boot(machine, timeout: timeout) { text in
            if !quiet { ConsoleSink.standardOutput.write(text) }
        }
        let report = session.report(outcome)
        Console.out("")
        for verdict in outcome.console.verdicts {
            Console.out("verdict \(verdict.layer) \(verdict.passed ? "PASS" : "FAIL") \(verdict.detail)")
        }
        Console.out(SessionRunner.readiness(outcome))
        Console.out("driverdom: QEMU ran \(String(format: "%.1f", outcome.elapsed)) s; test took \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        for line in report.lines() { Console.out(line) }
        if !report.passed { throw ExitCode(1) }
    }

    /// Builds the image, its steps printed unless --quiet (cached steps are taken from the cache).
    func build(_ configuration: Configuration, locations: BuildLocations, action: String) throws {
        let progress: ProgressStyle = quiet ? .quiet : .human
        let request = BuildRequest(imagePath: image, locations: locations, offline: offline, progress: progress)
        let builder = ImageBuilder(request: request)
        let cancellation = CancellationToken()
        let trap = InterruptTrap(cancelling: cancellation, signals: SessionRunner.stopSignals)
        defer { trap.uninstall() }
        let report: BuildReport
        do {
            report = try builder.build(configuration, architecture: try builder.validate(configuration),
                                       reporter: ImageBuilder.reporter(for: progress), cancellation: cancellation)
        } catch let error as BuildError {
            throw CommandFailure(action: action, reason: error.description, isUserError: error.isUserError)
        } catch {
            throw CommandFailure(action: action, error: error)
        }
        if case let .failed(step, error) = report.result.status {
            throw CommandFailure(action: action, reason: step.map { "build step \($0) failed: \(error)" } ?? "\(error)",
                                 isUserError: false)
        }
        if case .interrupted = report.result.status { throw ExitCode(130) }
    }
}
