// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DriverdomBuild
import DriverdomConfig
import Foundation
import QEMURunner
import SystemTest

/// `driverdom run IMAGE`: boot the built image under QEMU with Xen, console on the terminal.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Boot a built image under qemu-system-aarch64 with Xen: dom0, DomD and the guests.",
        discussion: """
            Boots the output of `driverdom build` (OUT/boot: Xen, the dom0 kernel, the \
            control-domain initramfs) on QEMU's virt machine (TCG) with the files placed by \
            QEMU's guest-loader. The session adds to a copy of the control initramfs, never \
            to the build output: the uinput injector in DomD (the qemu board's stand-in for \
            input hardware), the image's kernel and a busybox initramfs for guests whose \
            xl.cfg names no kernel, and a shell on dom0's console where `xl list` shows \
            DomD and the guests. Leave QEMU with Ctrl-A x.

            Prints the time from QEMU's start to "all DomD backends ready".

            Exit status: 0 the DomD backends became ready (QEMU then ended or --timeout \
            stopped it), 1 they never did or the system died, 2 usage error.
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
        let outcome: RunOutcome
        do {
            let machine = try session.prepare(packageRoot: URL(fileURLWithPath: configuration.repository.root))
            outcome = try session.boot(machine, timeout: timeout) { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch let error as SystemTestError {
            throw CommandFailure(action: action, reason: error.description, isUserError: true)
        } catch {
            throw CommandFailure(action: action, error: error)
        }
        Console.err("")
        if outcome.timedOut, let timeout {
            Console.err("driverdom: stopped QEMU after --timeout \(String(format: "%.0f", timeout)) s")
        }
        Console.err(SessionSummary.readiness(outcome))
        if let fatal = outcome.console.fatalLine {
            throw CommandFailure(action: action, reason: "the system died: \(fatal)", isUserError: false)
        }
        if outcome.console.readyAfter == nil {
            throw CommandFailure(action: action, reason: "the DomD backends never became ready; last console line: \(outcome.console.lastLine ?? "none")",
                                 isUserError: false)
        }
    }
}

/// Lines both `run` and `test` print after QEMU stops.
enum SessionSummary {
    /// "QEMU start → all DomD backends ready: N s", or why it is unknown.
    static func readiness(_ outcome: RunOutcome) -> String {
        if let ready = outcome.console.readyAfter {
            return "driverdom: QEMU start → all DomD backends ready: \(String(format: "%.1f", ready)) s"
        }
        return "driverdom: the console never said all DomD backends were ready (ran \(String(format: "%.1f", outcome.elapsed)) s)"
    }
}
