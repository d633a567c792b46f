// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import CrossToolchain
import DebianPackages
import DriverdomBuild
import DriverdomConfig
import Foundation
import RootfsAssembly

/// The session kit: the target-side files a QEMU session adds to a built image,
/// gathered once into a folder (a cached step of ``SessionPlan``) —
/// the probe executables cross-compiled from this package, busybox and the
/// kernel modules from the image's locked Debian packages, aplay for sound,
/// and the shared libraries they need. A value of this type reads that folder:
///
///     bin/<probe>                  stripped probes
///     busybox                      busybox-static's binary
///     modules/<path under kernel/> the session's kernel modules
///     aplay, alsa.conf             alsa-utils' aplay and alsa-lib's configuration (sound only)
///     libraries.txt, libraries/    `link PATH TARGET` / `file PATH` lines; files at their paths
package struct Probes: Sendable {
    /// Creates the uinput device DomD's input backend reads, and injects the probe run.
    package static let injector = "e2e-input-inject"
    /// Checks the probe run in the test guest.
    package static let checker = "e2e-input-check"
    /// Generates and checks the counter signal of the sndif test (guest and DomD).
    package static let soundProbe = "e2e-sound-probe"
    /// Flips the displif test's frames in the guest and checks what DomD's display scans out.
    package static let displayProbe = "e2e-display-probe"
    /// The USB/IP counter microphone of the usbif isochronous check (DomD).
    package static let usbIpAudio = UsbTestPlan.isoProgram
    /// The kernel modules every session takes (paths under lib/modules/<version>/kernel/).
    package static let baseModules = ["drivers/input/evdev.ko"]

    /// The kit folder.
    package var folder: URL

    /// Reads the kit in `folder`.
    package init(kit folder: URL) {
        self.folder = folder
    }

    /// Whether a session of `configuration` has sound (a layer's check runs the kit's sound check).
    package static func testsSound(_ configuration: Configuration) -> Bool {
        configuration.layers.contains { $0.check.kit.contains(.sound) }
    }

    /// The probe products a session of `configuration` cross-compiles.
    /// `usbIso`: the usbif isochronous check (its device, and the sound probe that checks the recording).
    package static func products(sound: Bool, display: Bool = false, usbIso: Bool = false) -> [String] {
        [injector, checker] + (sound || usbIso ? [soundProbe] : []) + (display ? [displayProbe] : [])
            + (usbIso ? [usbIpAudio] : [])
    }

    /// Whether the kit holds the probe `product`.
    package func has(_ product: String) -> Bool { FileManager.default.fileExists(atPath: binary(product).path) }

    /// The kernel modules a session takes, in load order (sound: snd_xen_front and what it needs).
    /// `usbIso`: snd-usb-audio and what it needs.
    package static func modules(sound: Bool, usb: Bool = false, usbIso: Bool = false) -> [String] {
        baseModules + (sound ? SoundTestPlan.guestModules : []) + (usb ? UsbTestPlan.guestModules + [UsbTestPlan.gadgetModule] : [])
            + (usb && usbIso ? UsbTestPlan.isoGuestModules.filter { !(sound && SoundTestPlan.guestModules.contains($0)) } : [])
    }

    /// The stripped probe `product`.
    package func binary(_ product: String) -> URL { folder.appendingPathComponent("bin/" + product) }
    /// busybox-static's binary for the target.
    package var busybox: URL { folder.appendingPathComponent("busybox") }
    /// alsa-utils' aplay (arecord is the same program), when the kit has sound or the usbif isochronous check.
    package var aplay: URL? { existing("aplay") }
    /// alsa-lib's configuration, when the kit has sound.
    package var alsaConfiguration: URL? { existing("alsa.conf") }

    /// The path of kernel module `relativePath` (under lib/modules/<version>/kernel/).
    package func kernelModule(_ relativePath: String) throws(SystemTestError) -> URL {
        let url = folder.appendingPathComponent("modules/" + relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .findUnpackedFileFailed(path: relativePath, archive: folder.appendingPathComponent("modules").path)
        }
        return url
    }

    /// Copies the kit's shared libraries and their links into the tree at `root`;
    /// a link whose path already exists there (the tree's own /lib link or folder) is kept.
    package func installLibraries(into root: URL) throws {
        let list = try String(contentsOf: folder.appendingPathComponent("libraries.txt"), encoding: .utf8)
        for line in list.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            let path = root.appendingPathComponent(String(words[1].dropFirst()))
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            if words[0] == "link", words.count == 3 {
                if (try? FileManager.default.attributesOfItem(atPath: path.path)) != nil { continue }
                try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: words[2])
            } else {
                try? FileManager.default.removeItem(at: path)
                try FileManager.default.copyItem(at: folder.appendingPathComponent("libraries" + words[1]), to: path)
            }
        }
    }

    private func existing(_ name: String) -> URL? {
        let url = folder.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Gathers the kit into `folder` (empty) from the compiled `probes` (stripped
    /// binaries by product), the locked packages and the sysroot; `scratch` is for unpacking.
    static func gather(into folder: URL, probes: [String: URL], sound: Bool, usb: Bool = false, usbIso: Bool = false,
                       session: BuildSession, scratch: URL, tools: any ToolRunner = HostTools.standalone) throws {
        let fileManager = FileManager.default
        for (product, binary) in probes {
            try copy(binary, to: folder.appendingPathComponent("bin/" + product))
        }
        let busyboxTree = try extract(try session.deb("busybox-static") { $0 == "busybox-static" },
                                      paths: ["./bin/busybox"], into: scratch.appendingPathComponent("busybox"), tools: tools)
        try copy(busyboxTree.appendingPathComponent("bin/busybox"), to: folder.appendingPathComponent("busybox"))

        let kernel = try session.deb("linux-image-*") { name in
            name.hasPrefix("linux-image-") && name.dropFirst("linux-image-".count).first?.isNumber == true
        }
        let modules = modules(sound: sound, usb: usb, usbIso: usbIso)
        let kernelTree = try extract(kernel, paths: modules.map { "./lib/modules/*/kernel/" + $0 },
                                     into: scratch.appendingPathComponent("kernel"), tools: tools)
        let versions = (try? fileManager.contentsOfDirectory(atPath: kernelTree.appendingPathComponent("lib/modules").path)) ?? []
        guard versions.count == 1, let version = versions.first else {
            throw SystemTestError.findUnpackedFileFailed(path: "lib/modules/<version> (one)", archive: kernel.path)
        }
        for module in modules {
            try copy(kernelTree.appendingPathComponent("lib/modules/\(version)/kernel/" + module),
                     to: folder.appendingPathComponent("modules/" + module))
        }

        if usb {
            try checkLoadOrder(UsbTestPlan.guestModules + (usbIso ? UsbTestPlan.isoGuestModules : []),
                               in: folder.appendingPathComponent("modules"))
        }

        let sdk = try session.sdk()
        var executables = probes.keys.sorted().map { folder.appendingPathComponent("bin/" + $0).path }
        if sound || usbIso {
            let alsaUtils = try session.deb("alsa-utils") { $0 == "alsa-utils" }
            let tree = try extract(alsaUtils, paths: ["./usr/bin/aplay"], into: scratch.appendingPathComponent("alsa-utils"),
                               tools: tools)
            try copy(tree.appendingPathComponent("usr/bin/aplay"), to: folder.appendingPathComponent("aplay"))
            let configuration = sdk.sysroot.path.appendingPathComponent(String(DomDRootfs.alsaConfiguration.dropFirst()))
            guard fileManager.fileExists(atPath: configuration.path) else {
                throw SystemTestError.findUnpackedFileFailed(path: DomDRootfs.alsaConfiguration, archive: sdk.sysroot.path.path)
            }
            try copy(configuration, to: folder.appendingPathComponent("alsa.conf"))
            executables.append(folder.appendingPathComponent("aplay").path)
        }
        let libraries = try ELFDependencyResolver(sysroot: sdk.sysroot.path.path, triplet: sdk.sysroot.architecture.multiarch)
            .resolve(executables: executables)
        var lines: [String] = libraries.symlinks.map { "link \($0.path) \($0.target)" }
        for library in libraries.libraries {
            try copy(URL(fileURLWithPath: library.hostPath),
                     to: folder.appendingPathComponent("libraries" + library.canonicalPath))
            lines.append("file \(library.canonicalPath)")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("libraries.txt"))
    }

    /// Fails unless every module of `order` (paths under `folder`) depends only
    /// on modules before it in `order` (its `depends=` in .modinfo): a guest
    /// without modprobe loads them with insmod in that order.
    static func checkLoadOrder(_ order: [String], in folder: URL) throws {
        var loaded: Set<String> = []
        for module in order {
            let data = try Data(contentsOf: folder.appendingPathComponent(module))
            var missing: [String] = []
            if let range = data.range(of: Data("depends=".utf8)) {
                let end = data[range.upperBound...].firstIndex(of: 0) ?? data.endIndex
                let text = String(decoding: data[range.upperBound..<end], as: UTF8.self)
                missing = text.split(separator: ",").map(String.init).filter { !loaded.contains(KernelModules.normalizedName(ofPath: $0)) }
            }
            guard missing.isEmpty else {
                throw SystemTestError.prepareFailed(step: SessionPlan.kitID.rawValue,
                    reason: "kernel module \(module) needs \(missing.joined(separator: ", ")), which the load order"
                        + " does not load before it; add it to UsbTestPlan.guestModules or isoGuestModules")
            }
            loaded.insert(KernelModules.normalizedName(ofPath: module))
        }
    }

    /// Extracts `paths` (tar patterns, `./`-relative) of the package `deb`'s data into the fresh folder `tree`.
    static func extract(_ deb: URL, paths: [String], into tree: URL, tools: any ToolRunner) throws -> URL {
        try? FileManager.default.removeItem(at: tree)
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        let patterns = paths.map(HostTools.quote).joined(separator: " ")
        try HostTools.shell("dpkg-deb --fsys-tarfile \(HostTools.quote(deb.path)) | tar -x -C \(HostTools.quote(tree.path)) --wildcards \(patterns)",
                            tools: tools)
        return tree
    }

    /// Copies a file (following symlinks), creating parent folders.
    static func copy(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.copyItem(at: source.resolvingSymlinksInPath(), to: destination)
    }
}
