// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DriverdomBuild
import DriverdomConfig
import Foundation
import QEMURunner
import SystemTest

/// `driverdom run IMAGE`: boot the built image under QEMU with Xen, its console on this terminal.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Boot a built image under qemu-system-aarch64 with Xen: dom0, DomD and the guests, on this terminal.",
        discussion: """
            Boots the output of `driverdom build` (OUT/boot: Xen, the dom0 kernel, the \
            control-domain initramfs) on QEMU's virt machine (TCG) with the files placed by \
            QEMU's guest-loader. Preparing the session prints its steps and caches them \
            like the build (nothing changed: QEMU starts within seconds). The session adds \
            to a copy of the control initramfs, never to the build output: the uinput \
            injector in DomD (the qemu board's stand-in for input hardware), the image's \
            kernel and a busybox initramfs for guests whose xl.cfg names no kernel, and \
            dom0's shell.

            QEMU owns the terminal while it runs: what you type goes to dom0's console \
            (Ctrl-C included). Once each guest is up, dom0 says so with the guest's PV \
            devices, then gives its shell (prompt `dom0:/#`; Enter gives it at once): \
            `xl list` shows dom0, DomD and the guests; `xl console DomU` attaches to a \
            guest's shell (`pv-devices` there lists its devices; Ctrl-] comes back); \
            `poweroff` ends the session. Ctrl-A x quits QEMU at once, Ctrl-A h lists \
            QEMU's other keys. The terminal is restored however QEMU ends.

            Exit status: 0 the DomD backends became ready (QEMU then ended or --timeout \
            stopped it), 1 they never did or the system died, 2 usage error, 130 \
            SIGINT, SIGTERM or SIGHUP (QEMU is stopped first; it never outlives driverdom).
            """
    )

    @Argument(help: "The image file, e.g. Images/qemu-virt-arm64.yaml.")
    var image: String

    @Option(help: ArgumentHelp("Stop QEMU after this many seconds.", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("The built output folder (default out/<image name>).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Build cache (default $DRIVERDOM_CACHE or ~/.cache/driverdom).", valueName: "dir"))
    var cache: String?

    @Flag(help: "Use only the lock file and the package cache; never reach the network.")
    var offline = false

    func validate() throws {
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func run() throws {
        let action = "run \(image)"
        let configuration = try Console.loadImage(image, for: "run")
        let session = ImageSession(configuration: configuration, kind: .interactive,
                                   locations: BuildLocations(output: out, cache: cache), offline: offline)
        let runner = SessionRunner(session: session, action: action, verbose: true)
        let machine = try runner.prepare()
        runner.say("starting QEMU; it owns this terminal until it ends: Ctrl-A x quits, Ctrl-A h lists its keys")
        let outcome = try runner.boot(machine, timeout: timeout) { ConsoleSink.standardOutput.write($0) }
        runner.say("")
        if outcome.timedOut, let timeout {
            runner.say("stopped QEMU after --timeout \(String(format: "%.0f", timeout)) s")
        } else {
            runner.say("QEMU ended after \(String(format: "%.1f", outcome.elapsed)) s")
        }
        ConsoleSink.standardError.write(SessionRunner.readiness(outcome) + "\n")
        if let fatal = outcome.console.fatalLine {
            throw CommandFailure(action: action, reason: "the system died: \(fatal)", isUserError: false)
        }
        if outcome.console.readyAfter == nil {
            throw CommandFailure(action: action, reason: "the DomD backends never became ready; last console line: \(outcome.console.lastLine ?? "none")",
                                 isUserError: false)
        }
    }
}
