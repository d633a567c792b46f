// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import CrossToolchain
import DriverdomBuild
import DriverdomConfig
import Foundation
import QEMURunner
@testable import SystemTest
import Testing

/// What `driverdom run` adds to the image (no emulator needed): dom0's shell,
/// the guests' shell, the machine's console, the cache keys of its preparation.
@Suite("Interactive session scripts and preparation")
struct InteractiveSessionTests {
    @Test("dom0 waits for each guest, announces it with its devices and how to attach, then gives its shell",
          arguments: [["DomU"], ["Cluster", "IVI"]])
    func dom0Shell(guests: [String]) {
        let script = SessionScripts.dom0Shell(guests: guests, guestSeconds: 300)
        #expect(script.contains("for guest in \(guests.joined(separator: " ")); do await $guest; done"))
        #expect(script.contains("until grep -q \"\(SessionScripts.guestUpMarker)\" $(log_of $1)"))
        #expect(script.contains("[ $n -ge 300 ]"))
        #expect(script.contains("say \"reach it with: xl console $1   (Ctrl-] comes back to dom0)\""))
        // Enter gives the shell at once; the announcements keep coming in the background.
        #expect(script.contains("read -t 1 line && break"))
        #expect(script.contains("export PS1='dom0:\\w# '"))
        #expect(script.hasSuffix("while :; do setsid cttyhack sh -l; sleep 1; done\n"))
    }

    @Test("with no guest, dom0's shell comes at once")
    func dom0ShellWithoutGuests() {
        let script = SessionScripts.dom0Shell(guests: [], guestSeconds: 300)
        #expect(!script.contains("read -t 1"))
        #expect(script.contains("setsid cttyhack sh -l"))
    }

    @Test("the guest loads its frontends, waits for its PV devices to connect, lists them, then says it is up")
    func guestShell() {
        let script = SessionScripts.guestShell(evdevModule: "/lib/modules/evdev.ko")
        #expect(script.contains("insmod /lib/modules/evdev.ko"))
        #expect(script.contains("if grep -q \(SessionScripts.soundFlag) /proc/cmdline; then"))
        #expect(script.contains("/lib/modules/snd_xen_front.ko"))
        #expect(script.contains("[ \"$(cat \"$dev/state\")\" != Connected ] && waiting=1"))
        let listed = try! #require(script.range(of: SessionScripts.deviceLister + " | sed"))
        let up = try! #require(script.range(of: "echo \"\(SessionScripts.guestUpMarker)\""))
        #expect(listed.lowerBound < up.lowerBound)
        #expect(script.contains("export PS1=\"${name:-guest}:\\w# \""))
    }

    @Test("the device lister covers the xenbus devices, evdev, ALSA cards and DRM cards")
    func deviceListing() {
        let script = SessionScripts.deviceListing()
        for part in ["/sys/bus/xen/devices/*", "/sys/class/input/event*", "/proc/asound/cards", "/dev/dri/card*"] {
            #expect(script.contains(part))
        }
    }

    @Test("an interactive guest's command line names it, for its prompt")
    func guestName() throws {
        #expect(try SessionKitTests.givenKernel("name = \"DomU\"\n", kind: .interactive, sound: true, name: "DomU")
            .contains("extra = \"console=hvc0 rdinit=/init \(SessionScripts.soundFlag) \(SessionScripts.guestNameFlag)DomU\""))
    }

    @Test("the initramfs key changes with the session's kind, its wait and its sound, not from one call to the next")
    func fingerprint() throws {
        let configuration = try SessionKitTests.configuration()
        let interactive = SessionKit(configuration: configuration, kind: .interactive, guestSeconds: 300)
        #expect(interactive.fingerprint(sound: true) == interactive.fingerprint(sound: true))
        #expect(interactive.fingerprint(sound: true) != interactive.fingerprint(sound: false))
        #expect(interactive.fingerprint(sound: true)
            != SessionKit(configuration: configuration, kind: .test, guestSeconds: 300).fingerprint(sound: true))
        #expect(interactive.fingerprint(sound: true)
            != SessionKit(configuration: configuration, kind: .interactive, guestSeconds: 120).fingerprint(sound: true))
    }

    @Test("an interactive machine multiplexes QEMU's keys on the console; a test machine does not")
    func serialConsole() {
        let artifacts = BootArtifacts(xen: URL(fileURLWithPath: "/x"), kernel: URL(fileURLWithPath: "/k"),
                                      initramfs: URL(fileURLWithPath: "/i"))
        var machine = XenMachine(artifacts: artifacts)
        #expect(machine.arguments().contains("stdio"))
        machine.console = .terminal
        let arguments = machine.arguments()
        let serial = try! #require(arguments.firstIndex(of: "-serial"))
        #expect(arguments[serial + 1] == "mon:stdio")
        #expect(!arguments.contains("stdio"))
    }
}

@Suite("Session preparation plan")
struct SessionPlanTests {
    /// The plan of the default image's interactive session, over its real lock.
    static func plan(sound: Bool) throws -> (SessionPlan, BuildPlan) {
        let configuration = try SessionKitTests.configuration()
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("session-plan-\(UUID().uuidString)")
        let packages = try TargetPackages(configuration: configuration, architecture: configuration.board.architecture,
                                          cache: cache)
        let session = BuildSession(configuration: configuration, packageRoot: SessionKitTests.repository,
                                   packages: packages, lock: try packages.lock(offline: true), offline: true,
                                   toolchain: SwiftToolchain(bin: URL(fileURLWithPath: "/t")), toolCache: cache)
        let image = BuiltImage(unchecked: URL(fileURLWithPath: "/out/qemu-virt-arm64"))
        let plan = SessionPlan(kit: SessionKit(configuration: configuration, kind: .interactive), image: image,
                               session: session, sound: sound)
        let digests = Dictionary(uniqueKeysWithValues: Probes.products(sound: sound).map { ($0, "digest-" + $0) })
        return (plan, plan.plan(toolchainVersion: "swiftc 6.3.1", executableDigests: digests, assemblerDigest: "tool"))
    }

    @Test("one step compiles the probes, the kit takes its output, the initramfs takes the kit and the built control initramfs")
    func steps() throws {
        let (plan, engine) = try Self.plan(sound: true)
        let ids = try engine.orderedSteps().map(\.id.rawValue)
        #expect(ids == ["session/compile", "session/kit", "session/initramfs-interactive"])
        let compile = try #require(engine.steps.first { $0.id == SessionPlan.compileID })
        for product in Probes.products(sound: true) {
            #expect(compile.inputs.contains(.value(name: "sources", value: "digest-" + product)))
        }
        let kit = try #require(engine.steps.first { $0.id == SessionPlan.kitID })
        #expect(kit.dependencies == [SessionPlan.compileID])
        let initramfs = try #require(engine.steps.first { $0.id == plan.initramfsID })
        #expect(initramfs.dependencies == [SessionPlan.kitID])
        #expect(initramfs.inputs.contains(.file(path: "/out/qemu-virt-arm64/boot/dom0-initrd.cpio.gz", label: "control-initramfs")))
        #expect(initramfs.inputs.contains(.value(name: "driverdom", value: "tool")))
    }

    @Test("without sound there is no sound probe and the kit takes no sound modules")
    func noSound() throws {
        let (_, engine) = try Self.plan(sound: false)
        let compile = try #require(engine.steps.first { $0.id == SessionPlan.compileID })
        #expect(!compile.inputs.contains(.value(name: "product", value: Probes.soundProbe)))
        let kit = try #require(engine.steps.first { $0.id == SessionPlan.kitID })
        // The default image serves USB, so the kit keeps the storage modules of the usbif check.
        let usb = UsbTestPlan.plan(for: try SessionKitTests.configuration()) != nil
        #expect(usb)
        let modules = Probes.modules(sound: false, usb: usb)
        #expect(kit.inputs.contains(.value(name: "modules", value: modules.joined(separator: " "))))
        #expect(!modules.contains { SoundTestPlan.guestModules.contains($0) })
    }
}
