// SPDX-License-Identifier: Apache-2.0
import DomDInit
import DriverdomConfig
import BuildEngine
import Foundation
import XenConfig

/// What a QEMU session of a built image is for.
package enum SessionKind: String, Sendable {
    /// `driverdom run`: a shell on dom0's console and a shell in each guest.
    case interactive
    /// `driverdom test`: the end-to-end checks, then `driverdom-test: finished`.
    case test
}

/// Makes the control-domain initramfs a QEMU session boots from the built one,
/// leaving the build output untouched:
///
/// - DomD: the uinput injector (the qemu board's stand-in for input hardware)
///   becomes the first service, so the input backend's device exists;
/// - each guest's xl.cfg gets the image's kernel and a small busybox initramfs
///   (with evdev and `e2e-input-check`) when it names no kernel of its own;
/// - dom0 gets a service: the test orchestration (test) or a shell (interactive).
package struct SessionKit: Sendable {
    /// Where the session's service, scripts and guest initramfs live in dom0.
    static let guestInitramfs = SessionScripts.folder + "/guest-initrd.cpio.gz"
    static let moduleFolder = "/lib/modules"
    static let evdevModule = moduleFolder + "/evdev.ko"
    /// The test guests' out-of-tree modules and their `load-order` (the build's `test-guest-modules`).
    static let guestModuleFolder = moduleFolder + "/test"

    package var configuration: Configuration
    package var kind: SessionKind
    /// Seconds the test script waits for each guest's verdict.
    package var guestSeconds: Int

    package init(configuration: Configuration, kind: SessionKind, guestSeconds: Int = 120) {
        self.configuration = configuration
        self.kind = kind
        self.guestSeconds = guestSeconds
    }

    /// The display check of a test session, if the image serves a vdispl.
    var displayPlan: DisplayTestPlan? { kind == .test ? DisplayTestPlan.plan(for: configuration) : nil }

    /// The usbif check of a test session, if a guest has a port on a dummy_hcd controller.
    var usbPlan: UsbTestPlan? { kind == .test ? UsbTestPlan.plan(for: configuration) : nil }

    /// The passthrough check of a test session, if the image has a pressable passed-through button.
    var passthrough: PassthroughTestPlan? { kind == .test ? PassthroughTestPlan.plan(for: configuration) : nil }

    /// The host overlay the session's machine applies to QEMU's device tree, next to the archive.
    package static let hostOverlayName = XenConfigFileNames.hostOverlayBlob

    /// What the session does with the configuration, for the cache key of its
    /// initramfs: its kind, the driver domain, the guests and the scripts it writes.
    package func fingerprint(sound: Bool, display hasDisplay: Bool = false) -> String {
        let plan = sound ? SoundTestPlan.plan(for: configuration) : nil
        let display = hasDisplay ? displayPlan : nil
        var lines = ["kind \(kind.rawValue)", "mode \(configuration.image.driverDomain.mode.rawValue)",
                     "domd \(configuration.image.driverDomain.name)", "guest-seconds \(guestSeconds)"]
        lines += configuration.image.guests.map { "guest \($0.name) vsnd \(!$0.vsnd.isEmpty)" }
        if let passthrough { lines.append("passthrough \(passthrough)") }
        lines += [dom0Script(sound: plan != nil, display: display != nil), guestInit(sound: plan, display: display),
                  SessionScripts.deviceListing()]
        if let plan { lines += ["sound \(plan)", SessionScripts.domdSound(plan)] }
        if let display { lines += ["display \(display)", SessionScripts.domdDisplay(display)] }
        if let usb = usbPlan { lines += ["usb \(usb)", SessionScripts.domdUsb(usb, gadgetModule: Self.gadgetModule)] }
        for guest in configuration.image.guests {
            lines.append("guest \(guest.name) checks " + layerChecks(of: guest.name).joined(separator: ","))
        }
        for layer in configuration.layers {
            if let script = layer.check.guestScript { lines += ["layer-check \(layer.name)", script] }
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the session's control initramfs to `archive`, made from the built
    /// `controlInitramfs` with the files of `probes` and the test guests' modules
    /// (`guestModules`, the build's export); `work` is an empty scratch folder;
    /// the archive tools run through `tools` (the step's runner).
    package func assemble(controlInitramfs: URL, probes: Probes, guestModules: URL? = nil, work: URL, archive: URL,
                         tools: any ToolRunner = ProcessToolRunner(cancellation: CancellationToken())) throws {
        let dom0 = work.appendingPathComponent("dom0")
        try HostTools.unpackInitramfs(controlInitramfs, into: dom0, tools: tools)
        let separate = configuration.image.driverDomain.mode == .separate
        let sound = probes.aplay == nil ? nil : SoundTestPlan.plan(for: configuration)
        let display = probes.has(Probes.displayProbe) ? displayPlan : nil
        if separate {
            let domdArchive = dom0.appendingPathComponent(String(DomDFiles.standard.ramdisk.dropFirst()))
            guard FileManager.default.fileExists(atPath: domdArchive.path) else {
                throw SystemTestError.findUnpackedFileFailed(path: DomDFiles.standard.ramdisk,
                                                             archive: controlInitramfs.path)
            }
            let domd = work.appendingPathComponent("domd")
            try HostTools.unpackInitramfs(domdArchive, into: domd, tools: tools)
            try addInjector(to: domd, probes: probes)
            if kind == .test, let sound { try addSoundLoop(to: domd, plan: sound, probes: probes) }
            if let display { try addDisplayWatcher(to: domd, plan: display, probes: probes) }
            if let usb = usbPlan { try addUsbGadget(to: domd, plan: usb, probes: probes) }
            try HostTools.packInitramfs(domd, to: domdArchive, tools: tools)
        } else {
            try addInjector(to: dom0, probes: probes)
            if kind == .test, let sound { try addSoundLoop(to: dom0, plan: sound, probes: probes) }
            if let display { try addDisplayWatcher(to: dom0, plan: display, probes: probes) }
            if let usb = usbPlan { try addUsbGadget(to: dom0, plan: usb, probes: probes) }
        }

        let guest = work.appendingPathComponent("guest")
        try makeGuest(guest, probes: probes, sound: sound, guestModules: guestModules, display: display, tools: tools)
        let guestArchive = dom0.appendingPathComponent(String(Self.guestInitramfs.dropFirst()))
        try FileManager.default.createDirectory(at: guestArchive.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try HostTools.packInitramfs(guest, to: guestArchive, tools: tools)
        let displayGuest = display == nil ? nil : configuration.image.guests.first { !$0.vdispl.isEmpty }?.name
        for spec in configuration.image.guests {
            let path = "/etc/xen/driverdom/" + XenConfigFileNames.guestConfig(spec.name)
            try giveKernel(to: dom0.appendingPathComponent(String(path.dropFirst())), path: path,
                           sound: sound != nil && !spec.vsnd.isEmpty, name: spec.name,
                           button: passthrough?.guests[spec.name], display: spec.name == displayGuest,
                           usb: usbPlan?.guests.contains(spec.name) ?? false,
                           usbIso: usbPlan?.vhci != nil && usbPlan?.guests.first == spec.name, checks: layerChecks(of: spec.name))
        }
        // Xen must boot with the host overlay applied to QEMU's own tree: hand it to the session.
        let overlay = dom0.appendingPathComponent("etc/xen/driverdom/" + Self.hostOverlayName)
        if FileManager.default.fileExists(atPath: overlay.path) {
            try copy(overlay, to: archive.deletingLastPathComponent().appendingPathComponent(Self.hostOverlayName))
        }
        // xl reads its global settings from /etc/xen/xl.conf and complains on every call when it is missing.
        let xlConf = dom0.appendingPathComponent("etc/xen/xl.conf")
        if !FileManager.default.fileExists(atPath: xlConf.path) {
            try write("# xl's global settings: none (written by the driverdom session)\n", to: xlConf, executable: false)
        }

        let scriptPath = SessionScripts.folder + "/" + kind.rawValue + ".sh"
        try write(dom0Script(sound: sound != nil, display: display != nil), to: dom0.appendingPathComponent(String(scriptPath.dropFirst())),
                  executable: true)
        try editTable(in: dom0) { table in
            table.services.append(ServiceSpec(name: "session-" + kind.rawValue, program: "/bin/busybox",
                                              arguments: ["sh", scriptPath], restart: .never, maxRestarts: 0,
                                              readiness: .onStart))
        }
        try FileManager.default.createDirectory(at: archive.deletingLastPathComponent(), withIntermediateDirectories: true)
        try HostTools.packInitramfs(dom0, to: archive, tools: tools)
    }

    /// dom0's session script: the test orchestration or the interactive shell.
    func dom0Script(sound: Bool, display: Bool = false) -> String {
        let separate = configuration.image.driverDomain.mode == .separate
        let guests = configuration.image.guests.map(\.name)
        switch kind {
        case .test:
            var verdicts: [String: [String]] = [:]
            var teardowns: [String: [(layer: String, folder: String)]] = [:]
            for guest in guests {
                verdicts[guest] = LayerChecks.guestVerdicts(of: guest, in: configuration)
                teardowns[guest] = LayerChecks.teardowns(of: guest, in: configuration)
            }
            return SessionScripts.dom0Test(guests: guests, domd: separate ? configuration.image.driverDomain.name : nil,
                                           guestSeconds: guestSeconds, sound: sound && separate, passthrough: passthrough,
                                           display: display && separate, usb: usbPlan, guestVerdicts: verdicts,
                                           teardowns: teardowns)
        case .interactive:
            return SessionScripts.dom0Shell(guests: guests, guestSeconds: guestSeconds)
        }
    }

    /// The guests' /init.
    func guestInit(sound: SoundTestPlan?, display: DisplayTestPlan? = nil) -> String {
        kind == .test ? SessionScripts.guestTest(evdevModule: Self.evdevModule, sound: sound, moduleFolder: Self.moduleFolder,
                                                 passthrough: passthrough, guestModuleFolder: Self.guestModuleFolder,
                                                 display: display, usb: usbPlan != nil,
                                                 input: configuration.layers.contains { $0.check.kit.contains(.input) })
                      : SessionScripts.guestShell(evdevModule: Self.evdevModule, moduleFolder: Self.moduleFolder,
                                                  guestModuleFolder: Self.guestModuleFolder)
    }

    /// The layers whose guest check script guest `guest` runs (a test session's only).
    func layerChecks(of guest: String) -> [String] {
        kind == .test ? LayerChecks.guestScripts(of: guest, in: configuration).map(\.layer) : []
    }

    /// Puts the injector into a driver-domain tree and starts it before the backends.
    func addInjector(to root: URL, probes: Probes) throws {
        let program = "/usr/bin/" + Probes.injector
        try copy(probes.binary(Probes.injector), to: root.appendingPathComponent(String(program.dropFirst())))
        try probes.installLibraries(into: root)
        try editTable(in: root) { table in
            table.services.insert(ServiceSpec(name: Probes.injector, program: program, restart: .onFailure,
                                              maxRestarts: 3, readiness: .onStart), at: 0)
        }
    }

    /// The guest initramfs tree: busybox, evdev.ko, the checker, /init; with
    /// `sound`, also snd_xen_front, aplay/arecord and the sound probe; with
    /// `guestModules`, its modules and load order in ``guestModuleFolder``.
    func makeGuest(_ root: URL, probes: Probes, sound: SoundTestPlan? = nil, guestModules: URL? = nil,
                   display: DisplayTestPlan? = nil, tools: any ToolRunner = HostTools.standalone) throws {
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try probes.installLibraries(into: root)
        for folder in ["bin", "dev", "proc", "sys", "tmp", "lib/modules", "usr/bin"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder),
                                                    withIntermediateDirectories: true)
        }
        try copy(probes.busybox, to: root.appendingPathComponent("bin/busybox"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("bin/sh").path,
                                                   withDestinationPath: "busybox")
        try copy(probes.binary(Probes.checker), to: root.appendingPathComponent("usr/bin/" + Probes.checker))
        try copy(try probes.kernelModule("drivers/input/evdev.ko"),
                 to: root.appendingPathComponent(String(Self.evdevModule.dropFirst())))
        try HostTools.run(["mknod", "-m", "600", root.appendingPathComponent("dev/console").path, "c", "5", "1"], tools: tools)
        if sound != nil {
            try addSoundTools(to: root, probes: probes)
            try addSoundModules(to: root, probes: probes)
        }
        if usbPlan?.vhci != nil { try addSoundTools(to: root, probes: probes) }
        if usbPlan != nil { try addUsbModules(to: root, probes: probes) }
        if display != nil {
            try copy(probes.binary(Probes.displayProbe), to: root.appendingPathComponent("usr/bin/" + Probes.displayProbe))
        }
        if let guestModules {
            for file in try FileManager.default.contentsOfDirectory(atPath: guestModules.path) {
                try copy(guestModules.appendingPathComponent(file),
                         to: root.appendingPathComponent(String(Self.guestModuleFolder.dropFirst()) + "/" + file))
            }
        }
        if kind == .test {
            for layer in configuration.layers {
                guard let script = layer.check.guestScript else { continue }
                try write("#!/bin/busybox sh\n# \(layer.name)'s end-to-end check (check.guest of its layer.yaml)\n" + script,
                          to: root.appendingPathComponent(String(SessionScripts.layerCheckFolder.dropFirst()) + "/" + layer.name),
                          executable: true)
            }
        }
        if kind == .interactive {
            try write(SessionScripts.deviceListing(),
                      to: root.appendingPathComponent(String(SessionScripts.deviceLister.dropFirst())), executable: true)
        }
        try write(guestInit(sound: sound, display: display), to: root.appendingPathComponent("init"), executable: true)
    }

    /// Adds the kernel, the session's guest initramfs and a console command line to a guest xl.cfg without a kernel;
    /// `sound` adds ``SessionScripts/soundFlag`` (the guest has a vsnd card), `name` the guest's name,
    /// `button` ``PassthroughTestPlan/guestFlag`` with the vkb index of the passed-through button.
    func giveKernel(to config: URL, path: String, sound: Bool = false, name: String? = nil, button: Int? = nil,
                    display: Bool = false, usb: Bool = false, usbIso: Bool = false, checks: [String] = []) throws {
        guard var text = try? String(contentsOf: config, encoding: .utf8) else {
            throw SystemTestError.findUnpackedFileFailed(path: path, archive: "the control initramfs")
        }
        let hasKernel = text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("kernel") }
        guard !hasKernel else { return }
        if !text.hasSuffix("\n") { text += "\n" }
        text += """
        # Added by `driverdom \(kind == .test ? "test" : "run")`: the image's kernel and the session's guest initramfs.
        kernel = "\(DomDFiles.standard.kernel)"
        ramdisk = "\(Self.guestInitramfs)"
        extra = "console=hvc0 rdinit=/init\(sound ? " " + SessionScripts.soundFlag : "")\(display ? " " + SessionScripts.displayFlag : "")\(usb ? " " + UsbTestPlan.guestFlag : "")\(usbIso ? " " + UsbTestPlan.isoGuestFlag : "")\(name.map { " " + SessionScripts.guestNameFlag + $0 } ?? "")\(button.map { " " + PassthroughTestPlan.guestFlag + String($0) } ?? "")\(checks.isEmpty ? "" : " " + SessionScripts.layerChecksFlag + checks.joined(separator: ","))"

        """
        try write(text, to: config, executable: false)
    }

    /// Parses `/etc/driverdom/services` under `root`, applies `change`, writes it back with the init's writer.
    func editTable(in root: URL, _ change: (inout ServiceTable) -> Void) throws {
        let path = root.appendingPathComponent("etc/driverdom/services")
        do {
            var table = try ServiceTableParser.parse(try String(contentsOf: path, encoding: .utf8))
            change(&table)
            try write(try ServiceTableWriter.write(table), to: path, executable: false)
        } catch let error as InitError {
            throw SystemTestError.editServiceTableFailed(path: path.path, reason: error.description)
        }
    }

    func copy(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.copyItem(at: source.resolvingSymlinksInPath(), to: destination)
    }

    func write(_ text: String, to url: URL, executable: Bool) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: url.path)
    }
}
