// SPDX-License-Identifier: Apache-2.0
import DomDInit
import DriverdomConfig
import Foundation
import XenConfig

/// What a QEMU session of a built image is for.
public enum SessionKind: String, Sendable {
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
public struct SessionKit {
    /// Where the session's service, scripts and guest initramfs live in dom0.
    static let guestInitramfs = SessionScripts.folder + "/guest-initrd.cpio.gz"
    static let moduleFolder = "/lib/modules"
    static let evdevModule = moduleFolder + "/evdev.ko"

    public var configuration: Configuration
    public var kind: SessionKind
    /// Seconds the test script waits for each guest's verdict.
    public var guestSeconds: Int

    public init(configuration: Configuration, kind: SessionKind, guestSeconds: Int = 120) {
        self.configuration = configuration
        self.kind = kind
        self.guestSeconds = guestSeconds
    }

    /// Writes the session's control initramfs into `folder` from `image`; returns its path.
    public func assemble(_ image: BuiltImage, probes: Probes, folder: URL) throws -> URL {
        let dom0 = folder.appendingPathComponent("dom0")
        try HostTools.unpackInitramfs(image.controlInitramfs, into: dom0)
        let separate = configuration.image.driverDomain.mode == .separate
        let sound = probes.aplay == nil ? nil : SoundTestPlan.plan(for: configuration)
        if separate {
            let domdArchive = dom0.appendingPathComponent(String(DomDFiles.standard.ramdisk.dropFirst()))
            guard FileManager.default.fileExists(atPath: domdArchive.path) else {
                throw SystemTestError.findUnpackedFileFailed(path: DomDFiles.standard.ramdisk,
                                                             archive: image.controlInitramfs.path)
            }
            let domd = folder.appendingPathComponent("domd")
            try HostTools.unpackInitramfs(domdArchive, into: domd)
            try addInjector(to: domd, probes: probes)
            if kind == .test, let sound { try addSoundLoop(to: domd, plan: sound, probes: probes) }
            try HostTools.packInitramfs(domd, to: domdArchive)
        } else {
            try addInjector(to: dom0, probes: probes)
            if kind == .test, let sound { try addSoundLoop(to: dom0, plan: sound, probes: probes) }
        }

        let guest = folder.appendingPathComponent("guest")
        try makeGuest(guest, probes: probes, sound: sound)
        let guestArchive = dom0.appendingPathComponent(String(Self.guestInitramfs.dropFirst()))
        try FileManager.default.createDirectory(at: guestArchive.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try HostTools.packInitramfs(guest, to: guestArchive)
        for spec in configuration.image.guests {
            let path = "/etc/xen/driverdom/" + XenConfigFileNames.guestConfig(spec.name)
            try giveKernel(to: dom0.appendingPathComponent(String(path.dropFirst())), path: path,
                           sound: sound != nil && !spec.vsnd.isEmpty)
        }

        let script: String
        switch kind {
        case .test:
            script = SessionScripts.dom0Test(guests: configuration.image.guests.map(\.name),
                                             domd: separate ? configuration.image.driverDomain.name : nil,
                                             guestSeconds: guestSeconds, sound: sound != nil && separate)
        case .interactive:
            script = SessionScripts.dom0Shell()
        }
        let scriptPath = SessionScripts.folder + "/" + kind.rawValue + ".sh"
        try write(script, to: dom0.appendingPathComponent(String(scriptPath.dropFirst())), executable: true)
        try editTable(in: dom0) { table in
            table.services.append(ServiceSpec(name: "session-" + kind.rawValue, program: "/bin/busybox",
                                              arguments: ["sh", scriptPath], restart: .never, maxRestarts: 0,
                                              readiness: .onStart))
        }
        let archive = folder.appendingPathComponent("dom0-initrd.cpio.gz")
        try HostTools.packInitramfs(dom0, to: archive)
        return archive
    }

    /// Puts the injector into a driver-domain tree and starts it before the backends.
    func addInjector(to root: URL, probes: Probes) throws {
        let program = "/usr/bin/" + Probes.injector
        try copy(probes.binaries[Probes.injector]!, to: root.appendingPathComponent(String(program.dropFirst())))
        try probes.installLibraries(into: root)
        try editTable(in: root) { table in
            table.services.insert(ServiceSpec(name: Probes.injector, program: program, restart: .onFailure,
                                              maxRestarts: 3, readiness: .onStart), at: 0)
        }
    }

    /// The guest initramfs tree: busybox, evdev.ko, the checker, /init; with
    /// `sound`, also snd_xen_front, aplay/arecord and the sound probe.
    func makeGuest(_ root: URL, probes: Probes, sound: SoundTestPlan? = nil) throws {
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
        try copy(probes.binaries[Probes.checker]!, to: root.appendingPathComponent("usr/bin/" + Probes.checker))
        try copy(try probes.kernelModule("drivers/input/evdev.ko"),
                 to: root.appendingPathComponent(String(Self.evdevModule.dropFirst())))
        try HostTools.run(["mknod", "-m", "600", root.appendingPathComponent("dev/console").path, "c", "5", "1"])
        if sound != nil {
            try addSoundTools(to: root, probes: probes)
            try addSoundModules(to: root, probes: probes)
        }
        let initScript = kind == .test ? SessionScripts.guestTest(evdevModule: Self.evdevModule, sound: sound,
                                                                  moduleFolder: Self.moduleFolder)
                                 : SessionScripts.guestShell(evdevModule: Self.evdevModule)
        try write(initScript, to: root.appendingPathComponent("init"), executable: true)
    }

    /// Adds the kernel, the session's guest initramfs and a console command line to a guest xl.cfg without a kernel;
    /// `sound` adds ``SessionScripts/soundFlag`` (the guest has a vsnd card to test).
    func giveKernel(to config: URL, path: String, sound: Bool = false) throws {
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
        extra = "console=hvc0 rdinit=/init\(sound ? " " + SessionScripts.soundFlag : "")"

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
