// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import CrossToolchain
import DebianPackages
import Foundation
import RootfsAssembly

/// The work of the fetch, sysroot, kernel, compile and stage steps. Each writes
/// only into its step's output folder; tools run through the engine.
enum StepActions {
    /// fetch: verifies every locked package in the package cache (downloading
    /// what is missing) and records the set.
    static func fetch(_ session: BuildSession, _ context: StepContext) throws {
        let fetched = try session.fetched { progress in
            context.progress(done: progress.bytesDone, total: progress.bytesTotal)
        }
        let lines = fetched.lock.packages.sorted { $0.name < $1.name }
            .map { "\($0.name) \($0.version) \($0.architecture) \($0.sha256)\n" }
        try write(lines.joined(), to: context.outputDirectory.appendingPathComponent("packages.txt"))
        if !fetched.downloaded.isEmpty { context.note("downloaded \(fetched.downloaded.count) packages") }
    }

    /// sysroot: the Debian sysroot and its Swift SDK (kept in the tool cache,
    /// keyed by their own packages); records which one.
    static func sysroot(_ session: BuildSession, _ context: StepContext) throws {
        let sdk = try session.sdk()
        try write("sysroot \(sdk.sysroot.key)\nsdk \(sdk.key)\n",
                  to: context.outputDirectory.appendingPathComponent("sysroot.txt"))
    }

    /// The kernel step's version, in its key instead of the tool's digest (so a new
    /// driverdom keeps the unpacked kernel and the modules built from linux-source):
    /// bump it when what ``kernel(_:_:)`` or ``KernelSourceBuild`` produce changes.
    static let kernelStepVersion = "1"

    /// kernel: the kernel package unpacked (modules, image, device trees), with modules.dep from `depmod -b`.
    static func kernel(_ session: BuildSession, _ context: StepContext) throws {
        let deb = try session.deb("kernel") { name in
            name.hasPrefix("linux-image-") && name.dropFirst("linux-image-".count).first?.isNumber == true
        }
        let scratch = context.scratchDirectory.appendingPathComponent("kernel")
        try context.tools.run(ToolCommand("dpkg-deb", ["-x", deb.path, scratch.path]))
        let versions = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/lib/modules")
        guard versions.count == 1, let version = versions.first else {
            throw BuildError.stepFailed(step: "kernel", reason: "\(deb.lastPathComponent) holds kernels \(versions), expected one")
        }
        try KernelSourceBuild.run(session, context, kernelRoot: scratch, version: version)
        try context.tools.run(ToolCommand("depmod", ["-b", scratch.path, version]))
        try GuestModules.complete(context.outputDirectory.appendingPathComponent(KernelSourceBuild.guestModuleFolder),
                                  modulesRoot: scratch.appendingPathComponent("lib/modules/\(version)"))
        let tree = context.outputDirectory.appendingPathComponent("tree")
        // Modules, the kernel image, and the upstream DTBs (U-Boot boards load theirs from the boot partition).
        for part in ["lib/modules", "boot", "usr/lib/linux-image-\(version)"] {
            guard FileManager.default.fileExists(atPath: scratch.appendingPathComponent(part).path) else { continue }
            let destination = tree.appendingPathComponent(part)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: scratch.appendingPathComponent(part), to: destination)
        }
    }

    /// compile: cross-compiles driverdom's own programs `names` in one SwiftPM build, each stripped.
    static func compilePrograms(_ names: [String], _ session: BuildSession, _ context: StepContext) throws {
        try session.crossCompile(programs: names, into: context.outputDirectory, tools: context.tools)
    }

    /// compile:E: cross-compiles out-of-tree backend `name` from its own package, stripped.
    static func compile(_ name: String, _ session: BuildSession, _ context: StepContext) throws {
        try session.crossCompile(name, to: context.outputDirectory.appendingPathComponent(name), tools: context.tools)
    }

    /// stage:L: the layer's backend, the shared libraries it needs (ELF
    /// DT_NEEDED in the sysroot) and its kernel modules with their dependencies,
    /// each in its own component folder, plus `modules.txt` (kernel version, module paths).
    static func stage(_ layer: LayerPlanInput, _ session: BuildSession, _ context: StepContext) throws {
        let components = context.outputDirectory.appendingPathComponent("components")
        let executable = context.outputDirectory(of: StepID(StepKind.compiling(layer.executable).id))
            .appendingPathComponent(layer.executable.name)
        let backend = components.appendingPathComponent("layer-\(layer.name)")
        try copy(executable, to: backend.appendingPathComponent(
            String(DomDServices.backendFolder.dropFirst()) + "/" + layer.executable.name))

        let sdk = try session.sdk()
        let dependencies = try ELFDependencyResolver(sysroot: sdk.sysroot.path.path,
                                                     triplet: sdk.sysroot.architecture.multiarch)
            .resolve(executables: [executable.path])
        let libraries = components.appendingPathComponent("libraries")
        try FileManager.default.createDirectory(at: libraries, withIntermediateDirectories: true)
        for link in dependencies.symlinks {
            let path = libraries.appendingPathComponent(String(link.path.dropFirst()))
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: link.target)
        }
        for library in dependencies.libraries {
            try copy(URL(fileURLWithPath: library.hostPath),
                     to: libraries.appendingPathComponent(String(library.canonicalPath.dropFirst())))
        }

        // alsa-lib reads its configuration, where `hw:` PCM names are defined, in snd_pcm_open.
        if dependencies.libraries.contains(where: { $0.name == "libasound.so.2" }) {
            let path = String(DomDRootfs.alsaConfiguration.dropFirst())
            try copy(sdk.sysroot.path.appendingPathComponent(path), to: libraries.appendingPathComponent(path))
        }

        let kernelTree = context.outputDirectory(of: StepID(StepKind.kernel.id)).appendingPathComponent("tree")
        let modules = try KernelModules(kernelRoot: kernelTree)
        let closure = try modules.closure(of: layer.kernelModules)
        let moduleFolder = "lib/modules/\(modules.version)/"
        for path in closure {
            try copy(kernelTree.appendingPathComponent(moduleFolder + path),
                     to: components.appendingPathComponent("kernel-modules/" + moduleFolder + path))
        }
        try write(([modules.version] + closure).joined(separator: "\n") + "\n",
                  to: context.outputDirectory.appendingPathComponent("modules.txt"))
    }

    /// Copies a file (following symlinks), creating parent folders, keeping the mode.
    static func copy(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.resolvingSymlinksInPath(), to: destination)
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
