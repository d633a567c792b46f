// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DebianPackages
import DriverdomBuild
import DriverdomConfig
import Foundation
import RootfsAssembly

/// The target-side programs and files a QEMU session adds to a built image:
/// the probe executables cross-compiled from this package, and busybox and the
/// kernel modules taken from the image's locked Debian packages.
public struct Probes: Sendable {
    /// Creates the uinput device DomD's input backend reads, and injects the probe run.
    public static let injector = "e2e-input-inject"
    /// Checks the probe run in the test guest.
    public static let checker = "e2e-input-check"
    /// Generates and checks the counter signal of the sndif test (guest and DomD).
    public static let soundProbe = "e2e-sound-probe"

    /// Stripped target binaries by product name.
    public var binaries: [String: URL]
    /// busybox-static's binary for the target.
    public var busybox: URL
    /// The unpacked kernel package (`lib/modules/<version>/...`).
    public var kernelTree: URL
    /// The kernel version (the folder name under lib/modules).
    public var kernelVersion: String
    /// The shared libraries (and their links) the probes need, from the sysroot.
    public var libraries: ELFDependencies
    /// alsa-utils' aplay (arecord is the same program), when the image serves sound.
    public var aplay: URL?
    /// alsa-lib's configuration from the sysroot, when the image serves sound.
    public var alsaConfiguration: URL?

    /// Whether a session of `configuration` tests sound (a layer serves vsnd).
    public static func testsSound(_ configuration: Configuration) -> Bool {
        configuration.layers.contains { $0.xenProtocol == .vsnd }
    }

    /// Fetches (from the cache when warm) and cross-compiles what a session needs into `folder`.
    public static func prepare(packages: TargetPackages, lock: PackageLock, packageRoot: URL, cache: URL,
                               folder: URL, offline: Bool, sound: Bool = false) throws -> Probes {
        let fetched = try packages.fetch(lock, offline: offline)
        let toolchain = try SwiftToolchain.fromPath()
        let sdk = try packages.sdk(fetched, toolchain: toolchain)
        let build = CrossBuild(sdk: sdk, toolchain: toolchain)
        var binaries: [String: URL] = [:]
        for product in [injector, checker] + (sound ? [soundProbe] : []) {
            let output = folder.appendingPathComponent("bin").appendingPathComponent(product)
            do {
                let binary = try build.build(package: packageRoot, product: product,
                                             scratchPath: build.scratchPath(in: cache))
                try FileManager.default.createDirectory(at: output.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: output)
                try build.strip(binary, to: output)
            } catch {
                throw SystemTestError.compileProbeFailed(product: product, reason: "\(error)")
            }
            binaries[product] = output
        }
        let busybox = try unpack(package: { $0 == "busybox-static" }, named: "busybox-static", lock: lock,
                                 fetched: fetched, lockFile: packages.lockFile.path, into: folder)
            .appendingPathComponent("bin/busybox")
        let kernelTree = try unpack(package: { name in
            name.hasPrefix("linux-image-") && name.dropFirst("linux-image-".count).first?.isNumber == true
        }, named: "linux-image-*", lock: lock, fetched: fetched, lockFile: packages.lockFile.path, into: folder)
        let versions = (try? FileManager.default.contentsOfDirectory(
            atPath: kernelTree.appendingPathComponent("lib/modules").path)) ?? []
        guard let version = versions.sorted().first else {
            throw SystemTestError.findUnpackedFileFailed(path: "lib/modules/<version>", archive: kernelTree.path)
        }
        var aplay: URL?
        var alsaConfiguration: URL?
        if sound {
            let tree = try unpack(package: { $0 == "alsa-utils" }, named: "alsa-utils", lock: lock, fetched: fetched,
                                  lockFile: packages.lockFile.path, into: folder)
            aplay = tree.appendingPathComponent("usr/bin/aplay")
            alsaConfiguration = sdk.sysroot.path.appendingPathComponent(String(DomDRootfs.alsaConfiguration.dropFirst()))
            for file in [aplay!, alsaConfiguration!] where !FileManager.default.fileExists(atPath: file.path) {
                throw SystemTestError.findUnpackedFileFailed(path: file.lastPathComponent, archive: file.path)
            }
        }
        let libraries = try ELFDependencyResolver(sysroot: sdk.sysroot.path.path,
                                                  triplet: sdk.sysroot.architecture.multiarch)
            .resolve(executables: (binaries.values.map(\.path) + [aplay?.path].compactMap { $0 }).sorted())
        return Probes(binaries: binaries, busybox: busybox, kernelTree: kernelTree, kernelVersion: version,
                      libraries: libraries, aplay: aplay, alsaConfiguration: alsaConfiguration)
    }

    /// The path of kernel module `relativePath` (under lib/modules/<version>/kernel/).
    public func kernelModule(_ relativePath: String) throws(SystemTestError) -> URL {
        let url = kernelTree.appendingPathComponent("lib/modules/\(kernelVersion)/kernel/\(relativePath)")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .findUnpackedFileFailed(path: relativePath, archive: kernelTree.path)
        }
        return url
    }

    /// Copies the probes' shared libraries and their links into the tree at `root`.
    public func installLibraries(into root: URL) throws {
        for link in libraries.symlinks {
            let path = root.appendingPathComponent(String(link.path.dropFirst()))
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Something already there (the tree's own /lib link or folder) is kept.
            if (try? FileManager.default.attributesOfItem(atPath: path.path)) != nil { continue }
            try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: link.target)
        }
        for library in libraries.libraries {
            let path = root.appendingPathComponent(String(library.canonicalPath.dropFirst()))
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: path)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: library.hostPath).resolvingSymlinksInPath(), to: path)
        }
    }

    /// Unpacks the first locked package matching `predicate` into `folder/<package>` (once).
    static func unpack(package predicate: (String) -> Bool, named: String, lock: PackageLock,
                       fetched: FetchedPackages, lockFile: String, into folder: URL) throws -> URL {
        guard let package = TargetPackages.package(in: lock, where: predicate),
              let deb = fetched.files[package.name] else {
            throw SystemTestError.findPackageFailed(name: named, lockFile: lockFile)
        }
        let destination = folder.appendingPathComponent("packages").appendingPathComponent(
            "\(package.name)_\(package.version.replacingOccurrences(of: ":", with: "_"))")
        if !FileManager.default.fileExists(atPath: destination.path) {
            let partial = destination.appendingPathExtension("partial")
            try? FileManager.default.removeItem(at: partial)
            try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
            try HostTools.run(["dpkg-deb", "-x", deb.path, partial.path])
            try FileManager.default.moveItem(at: partial, to: destination)
        }
        return destination
    }
}
