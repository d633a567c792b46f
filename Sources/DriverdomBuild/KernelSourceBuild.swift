// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DriverdomConfig
import Foundation
import Licensing

/// What an image needs built from Debian's kernel sources, in the kernel step:
/// kernel modules the board declares but Debian's kernel does not build
/// (`provided_by.build`, e.g. vkms), and the board DTB when Debian's kernel
/// package does not ship it (`dtb_source: linux-source`).
///
/// The sources come from the target's `linux-source` package and the image
/// kernel's `linux-headers-*` packages (fetched by the private apt into the
/// `kernel-source` package set); the host supplies make, the cross compiler
/// `<triple>-gcc`, cpp and linux-kbuild (`.ci/install-deps` installs them), as
/// for any Debian out-of-tree module build.
package enum KernelSourceBuild {
    /// The package set holding the kernel sources and headers.
    static let packageSetName = "kernel-source"

    /// The kernel source and headers meta packages for Debian architecture `debian`.
    static func packages(forDebianArchitecture debian: String) -> [String] {
        ["linux-source", debian == "armhf" ? "linux-headers-armmp-lpae" : "linux-headers-\(debian)"]
    }

    /// The out-of-tree module builds of the image's bound devices, each module once, by name.
    static func moduleBuilds(_ configuration: Configuration) -> [ModuleBuild] {
        var byModule: [String: ModuleBuild] = [:]
        for binding in configuration.bindings {
            for device in binding.devices {
                for build in device.moduleBuilds { byModule[build.module] = build }
            }
        }
        return byModule.keys.sorted().map { byModule[$0]! }
    }

    /// The test guests' module builds (`test.guest_modules` of the image), by name.
    static func guestModuleBuilds(_ configuration: Configuration) -> [ModuleBuild] {
        configuration.image.test.guestModules.sorted { $0.module < $1.module }
    }

    /// Folder of the kernel step's output holding the test guests' modules
    /// (``GuestModules``); exported to the output folder as ``exportedGuestModules``.
    static let guestModuleFolder = "test-guest-modules"
    /// Where the build exports the test guests' modules in its output folder.
    package static let exportedGuestModules = "test-guest-modules"

    /// The board DTB to compile from source, if the board asks for it.
    static func sourceDTB(_ configuration: Configuration) -> String? {
        configuration.board.dtbSource == .linuxSource ? configuration.board.dtb : nil
    }

    /// Whether the image needs the kernel sources at all.
    static func needed(_ configuration: Configuration) -> Bool {
        !moduleBuilds(configuration).isEmpty || !guestModuleBuilds(configuration).isEmpty || sourceDTB(configuration) != nil
    }

    /// Canonical text of what is built (part of the kernel step's key).
    static func specification(_ configuration: Configuration) -> String {
        var lines = moduleBuilds(configuration).map { "module \($0.module) \($0.source) \($0.config.joined(separator: ","))" }
        lines += guestModuleBuilds(configuration).map {
            "guest-module \($0.module) \($0.source) \($0.config.joined(separator: ","))"
        }
        if let dtb = sourceDTB(configuration) { lines.append("dtb \(dtb)") }
        return lines.joined(separator: "\n")
    }

    /// Host tools the builds run, by what needs them.
    static func crossPrefix(_ architecture: Architecture) -> String {
        architecture == .aarch64 ? "aarch64-linux-gnu-" : "arm-linux-gnueabihf-"
    }

    /// Builds into the unpacked kernel at `kernelRoot` (kernel `version`): modules
    /// into `lib/modules/VERSION/updates/`, the DTB into `usr/lib/linux-image-VERSION/`.
    /// Runs before `depmod`, so modules.dep covers the new modules.
    static func run(_ session: BuildSession, _ context: StepContext, kernelRoot: URL, version: String) throws {
        let configuration = session.configuration
        guard needed(configuration) else { return }
        let work = context.scratchDirectory.appendingPathComponent("kernel-source")
        let builds = moduleBuilds(configuration)
        let guestBuilds = guestModuleBuilds(configuration)
        let dtb = sourceDTB(configuration)
        let architecture = configuration.board.architecture
        let kernelArch = architecture == .aarch64 ? "arm64" : "arm"

        // linux-source-X.Y ships usr/src/linux-source-X.Y.tar.xz: unpack only what is built.
        let sourceDeb = try session.deb("linux-source") { name in
            name.hasPrefix("linux-source-") && name.dropFirst("linux-source-".count).first?.isNumber == true
        }
        let debs = work.appendingPathComponent("debs")
        try FileManager.default.createDirectory(at: debs, withIntermediateDirectories: true)
        try context.tools.run(ToolCommand("dpkg-deb", ["-x", sourceDeb.path, debs.path]))
        let src = debs.appendingPathComponent("usr/src")
        let tarballs = ((try? FileManager.default.contentsOfDirectory(atPath: src.path)) ?? [])
            .filter { $0.hasPrefix("linux-source-") && $0.hasSuffix(".tar.xz") }.sorted()
        guard let tarball = tarballs.first else {
            throw BuildError.stepFailed(step: "kernel", reason: "\(sourceDeb.lastPathComponent) holds no usr/src/linux-source-*.tar.xz")
        }
        let top = String(tarball.dropLast(".tar.xz".count))
        var members = Array(Set((builds + guestBuilds).map { top + "/" + $0.source })).sorted()
        if let dtb {
            let vendor = dtb.split(separator: "/").dropLast().joined(separator: "/")
            // dt-bindings headers link into include/uapi (input-event-codes.h).
            members += [top + "/arch/\(kernelArch)/boot/dts/" + vendor, top + "/include/dt-bindings", top + "/include/uapi"]
        }
        let tree = work.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try context.tools.run(ToolCommand("tar", ["-xJf", src.appendingPathComponent(tarball).path, "-C", tree.path]
                                                 + members))
        let source = tree.appendingPathComponent(top)
        try? FileManager.default.removeItem(at: debs)

        if !builds.isEmpty || !guestBuilds.isEmpty {
            let headers = try unpackHeaders(session, context, version: version, into: work.appendingPathComponent("headers"))
            // The test guests' modules stay out of the kernel tree (so out of every domain's image):
            // they go to their own folder, their dependencies are added after depmod (GuestModules).
            let guestFolder = context.outputDirectory.appendingPathComponent(guestModuleFolder)
            for build in guestBuilds {
                let module = try buildModule(build, source: source, headers: headers, kernelArch: kernelArch,
                                             cross: crossPrefix(architecture), work: work, context)
                try StepActions.copy(module, to: guestFolder.appendingPathComponent(build.module + ".ko"))
            }
            let updates = kernelRoot.appendingPathComponent("lib/modules/\(version)/updates")
            try FileManager.default.createDirectory(at: updates, withIntermediateDirectories: true)
            var licenses: [BuiltModuleLicense] = []
            let sourcePackage = TargetPackages.package(in: session.lock) { $0 == sourceDeb.lastPathComponent.split(separator: "_").first.map(String.init) }
            for build in builds {
                let module = try buildModule(build, source: source, headers: headers, kernelArch: kernelArch,
                                             cross: crossPrefix(architecture), work: work, context)
                try StepActions.copy(module, to: updates.appendingPathComponent(build.module + ".ko"))
                let scanned = SourceLicenses(folders: [source.appendingPathComponent(build.source)])
                licenses.append(BuiltModuleLicense(module: build.module, path: "/lib/modules/\(version)/updates/\(build.module).ko",
                                                   source: build.source, license: scanned.expression?.description,
                                                   package: sourcePackage?.name ?? "linux-source",
                                                   packageVersion: sourcePackage?.version ?? ""))
            }
            if !builds.isEmpty { try BuiltModuleLicense.write(licenses, to: context.outputDirectory) }
        }
        if let dtb {
            let output = kernelRoot.appendingPathComponent("usr/lib/linux-image-\(version)/" + dtb)
            try compileDTB(dtb, source: source, kernelArch: kernelArch, to: output, work: work, context)
        }
    }

    /// Unpacks the image kernel's headers (arch and common packages) and points the
    /// arch Makefile at the unpacked common tree; returns the arch headers folder.
    private static func unpackHeaders(_ session: BuildSession, _ context: StepContext, version: String,
                                      into folder: URL) throws -> URL {
        let arch = try session.deb("linux-headers-\(version)") { $0 == "linux-headers-\(version)" }
        let common = try session.deb("linux-headers common") { $0.hasPrefix("linux-headers-") && $0.hasSuffix("-common") }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for deb in [arch, common] {
            try context.tools.run(ToolCommand("dpkg-deb", ["-x", deb.path, folder.path]))
        }
        let headers = folder.appendingPathComponent("usr/src/linux-headers-\(version)")
        let makefile = headers.appendingPathComponent("Makefile")
        let text = try String(contentsOf: makefile, encoding: .utf8)
        let rewritten = text.replacingOccurrences(of: "include /usr/src/", with: "include \(folder.path)/usr/src/")
        guard rewritten != text else {
            throw BuildError.stepFailed(step: "kernel", reason: "\(makefile.path) does not include the common headers by absolute path as Debian's do")
        }
        try StepActions.write(rewritten, to: makefile)
        // scripts/ and tools/ link to ../../lib/linux-kbuild-X.Y, which must be the
        // host's linux-kbuild (fixdep and modpost run on the host, not the target's).
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: headers.appendingPathComponent("scripts").path)) ?? ""
        let kbuildName = link.split(separator: "/").first { $0.hasPrefix("linux-kbuild-") }.map(String.init) ?? "linux-kbuild"
        let hostKbuild = "/usr/lib/" + kbuildName
        let local = folder.appendingPathComponent("usr/lib/" + kbuildName)
        try? FileManager.default.removeItem(at: local)
        try FileManager.default.createDirectory(at: local.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: local.path, withDestinationPath: hostKbuild)
        let scripts = headers.appendingPathComponent("scripts").resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: scripts.appendingPathComponent("basic/fixdep").path) else {
            throw BuildError.stepFailed(step: "kernel", reason: "\(hostKbuild)/scripts/basic/fixdep is missing: install the host's "
                + "\(kbuildName) package matching the kernel (.ci/install-deps installs it)")
        }
        return headers
    }

    /// `make -C HEADERS M=DIR modules` for one module; returns the stripped `.ko`.
    private static func buildModule(_ build: ModuleBuild, source: URL, headers: URL, kernelArch: String, cross: String,
                                    work: URL, _ context: StepContext) throws -> URL {
        let folder = work.appendingPathComponent("modules/" + build.module)
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        if build.source.hasSuffix(".c") {
            // One file of a folder whose Makefile builds many modules: build it alone.
            let file = String(build.source.split(separator: "/").last ?? "")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source.appendingPathComponent(build.source),
                                             to: folder.appendingPathComponent(file))
            try StepActions.write("obj-m += \(file.dropLast(2)).o\n", to: folder.appendingPathComponent("Kbuild"))
        } else {
            try FileManager.default.copyItem(at: source.appendingPathComponent(build.source), to: folder)
        }
        var arguments = ["-C", headers.path, "M=\(folder.path)", "ARCH=\(kernelArch)", "CROSS_COMPILE=\(cross)",
                         // The build folder lies in the cache: keep its path out of the module. No
                         // debug info (stripped anyway): it would hold the path and so change the build-id.
                         "KCFLAGS=-g0 -ffile-prefix-map=\(folder.path)/=\(build.source)/ -ffile-prefix-map=\(headers.path)/=",
                         "-j\(max(1, ProcessInfo.processInfo.activeProcessorCount))"]
        arguments += build.config.map { "\($0)=m" }
        arguments.append("modules")
        try context.tools.run(ToolCommand("make", arguments, environment: ["KBUILD_BUILD_TIMESTAMP": "", "LC_ALL": "C"]))
        let builtName = build.source.hasSuffix(".c") ? String((build.source.split(separator: "/").last ?? "").dropLast(2)) : build.module
        let built = folder.appendingPathComponent(builtName + ".ko")
        guard FileManager.default.fileExists(atPath: built.path) else {
            throw BuildError.stepFailed(step: "kernel", reason: "building \(build.source) made no \(build.module).ko; "
                + "check `config` of the module build (\(build.config.joined(separator: ", ")))")
        }
        let stripped = work.appendingPathComponent("modules/\(build.module).ko")
        try context.tools.run(ToolCommand(cross + "strip", ["--strip-debug", "-o", stripped.path, built.path]))
        return stripped
    }

    /// Preprocesses and compiles `arch/ARCH/boot/dts/<dtb as .dts>` as the kernel's Makefile does.
    private static func compileDTB(_ dtb: String, source: URL, kernelArch: String, to output: URL, work: URL,
                                   _ context: StepContext) throws {
        let dts = source.appendingPathComponent("arch/\(kernelArch)/boot/dts/" + dtb.dropLast(4) + ".dts")
        guard FileManager.default.fileExists(atPath: dts.path) else {
            throw BuildError.stepFailed(step: "kernel", reason: "linux-source has no arch/\(kernelArch)/boot/dts/\(dtb.dropLast(4)).dts for board dtb '\(dtb)'")
        }
        let preprocessed = work.appendingPathComponent("board.dts.tmp")
        try context.tools.run(ToolCommand("cpp", ["-nostdinc", "-I", dts.deletingLastPathComponent().path,
                                                  "-I", source.appendingPathComponent("include").path,
                                                  "-undef", "-D__DTS__", "-x", "assembler-with-cpp", "-P",
                                                  "-o", preprocessed.path, dts.path]))
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try context.tools.run(ToolCommand("dtc", ["-q", "-I", "dts", "-O", "dtb", "-b", "0", "-@",
                                                  "-i", dts.deletingLastPathComponent().path,
                                                  "-o", output.path, preprocessed.path]))
    }
}

/// A kernel module built from `linux-source` and the license its sources declare
/// (their SPDX headers), recorded by the kernel step for the SBOM and the policy.
package struct BuiltModuleLicense: Codable, Sendable, Equatable {
    /// Module name (`vkms`).
    package var module: String
    /// Installed path (`/lib/modules/VERSION/updates/vkms.ko`).
    package var path: String
    /// Source folder in the kernel tree (`drivers/gpu/drm/vkms`).
    package var source: String
    /// SPDX expression of its sources, nil when none has a header.
    package var license: String?
    /// The Debian package the sources came from and its version.
    package var package: String
    package var packageVersion: String

    /// File of the kernel step's output holding the records.
    static let fileName = "module-licenses.json"

    static func write(_ records: [BuiltModuleLicense], to folder: URL) throws {
        try CanonicalJSON.encode(records).write(to: folder.appendingPathComponent(fileName))
    }

    /// The records in a kernel step's output (none when it built no module).
    static func read(from folder: URL) throws -> [BuiltModuleLicense] {
        let file = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        return try JSONDecoder().decode([BuiltModuleLicense].self, from: Data(contentsOf: file))
    }
}
