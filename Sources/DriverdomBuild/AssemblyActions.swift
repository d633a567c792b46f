// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DriverdomConfig
import Foundation
import ImageFormats
import RootfsAssembly

/// The work of the service-table, rootfs and DomD format steps.
enum AssemblyActions {
    /// Applets linked to busybox when the image asks for a debug shell.
    static let shellApplets = ["sh", "ash", "cat", "cp", "dmesg", "echo", "grep", "ls", "ln", "mkdir", "mount",
                               "mv", "ps", "rm", "sleep", "umount", "vi"]

    /// service-table: the init's table at its default path.
    static func serviceTable(_ session: BuildSession, _ context: StepContext) throws {
        let text = try DomDServices.text(for: session.configuration)
        try StepActions.write(text, to: context.outputDirectory.appendingPathComponent(
            "components/service-table" + DomDRootfs.serviceTablePath))
    }

    /// rootfs: the DomD tree from its components, recorded with ``TreeRecord``, and its size report.
    static func rootfs(_ input: ImagePlanInput, _ session: BuildSession, _ context: StepContext) throws {
        var composer = try RootfsComposer()
        let initBinary = context.outputDirectory(of: StepID(StepKind.compilePrograms.id))
            .appendingPathComponent(input.initExecutable.name)
        try composer.addHostFile(DomDRootfs.initPath, from: initBinary.path, permissions: 0o755, origin: "init")
        try composer.addSymlink("/sbin/init", target: "../init", origin: "init")
        for (path, text) in DomDRootfs.etcFiles(for: session.configuration).sorted(by: { $0.key < $1.key }) {
            try composer.addFile(path, contents: text, origin: "etc")
        }
        try composer.addComponent(context.outputDirectory(of: StepID(StepKind.serviceTable.id))
            .appendingPathComponent("components/service-table"), origin: "service table")

        var modulePaths: Set<String> = []
        var kernelVersion: String?
        for layer in input.layers {
            let stage = context.outputDirectory(of: StepID(StepKind.stageLayer(layer: layer.name).id))
            let components = stage.appendingPathComponent("components")
            for name in try FileManager.default.contentsOfDirectory(atPath: components.path).sorted() {
                let origin = name.hasPrefix("layer-") ? "layer \(name.dropFirst("layer-".count))" : name
                try composer.addComponent(components.appendingPathComponent(name), origin: origin)
            }
            let lines = try String(contentsOf: stage.appendingPathComponent("modules.txt"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            kernelVersion = lines.first
            modulePaths.formUnion(lines.dropFirst())
        }
        if let kernelVersion, !modulePaths.isEmpty {
            let kernel = context.outputDirectory(of: StepID(StepKind.kernel.id)).appendingPathComponent("tree")
            let modules = try KernelModules(kernelRoot: kernel)
            try composer.addFile("/lib/modules/\(kernelVersion)/modules.dep",
                                 contents: modules.modulesDep(for: modulePaths.sorted()), origin: "kernel-modules")
            // The init skips modules built into the kernel: it learns which from modules.builtin.
            let builtin = modules.builtinPaths(for: DomDServices.modules(for: session.configuration.bindings))
            if !builtin.isEmpty {
                try composer.addFile("/lib/modules/\(kernelVersion)/modules.builtin",
                                     contents: builtin.map { $0 + "\n" }.joined(), origin: "kernel-modules")
            }
        }
        if session.configuration.image.driverDomain.mode == .separate {
            try addXenstoreWrite(to: &composer, session, context)
        }
        // busybox only for a debug shell: the init loads modules itself.
        if input.debugShell {
            let deb = try session.deb("busybox") { $0 == "busybox-static" }
            let scratch = context.scratchDirectory.appendingPathComponent("busybox")
            try context.tools.run(ToolCommand("dpkg-deb", ["-x", deb.path, scratch.path]))
            let origin = "busybox (debug shell)"
            try composer.addHostFile("/bin/busybox", from: scratch.path + "/bin/busybox", permissions: 0o755,
                                     origin: origin)
            try composer.addSymlink("/sbin/modprobe", target: "../bin/busybox", origin: origin)
            for applet in shellApplets { try composer.addSymlink("/bin/" + applet, target: "busybox", origin: origin) }
        }
        try LicenseTexts.add(to: &composer, session, context)
        try TreeRecord.write(composer.tree, to: context.outputDirectory)
        try StepActions.write(try composer.sizeReport(), to: context.outputDirectory.appendingPathComponent("sizes.txt"))
    }

    /// xenstore-write (readiness reports of a separate DomD) and the libraries it needs.
    static func addXenstoreWrite(to composer: inout RootfsComposer, _ session: BuildSession,
                                 _ context: StepContext) throws {
        let deb = try session.deb("xenstore-utils") { $0 == "xenstore-utils" }
        let scratch = context.scratchDirectory.appendingPathComponent("xenstore-utils")
        try context.tools.run(ToolCommand("dpkg-deb", ["-x", deb.path, scratch.path]))
        let program = scratch.path + DomDServices.xenstoreWrite
        let origin = "xenstore-write (readiness)"
        try composer.addHostFile(DomDServices.xenstoreWrite, from: program, permissions: 0o755, origin: origin)
        let sdk = try session.sdk()
        let dependencies = try ELFDependencyResolver(sysroot: sdk.sysroot.path.path,
                                                     triplet: sdk.sysroot.architecture.multiarch)
            .resolve(executables: [program])
        var libraries = StagedTree()
        try dependencies.stage(into: &libraries, origin: "libraries")
        let staged = context.scratchDirectory.appendingPathComponent("xenstore-write-libraries")
        for entry in libraries.sortedEntries() {
            let destination = staged.appendingPathComponent(entry.relativePath)
            switch entry.kind {
            case let .regularFile(.file(path)): try StepActions.copy(URL(fileURLWithPath: path), to: destination)
            case let .symlink(target):
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: destination.path, withDestinationPath: target)
            default: break
            }
        }
        try composer.addComponent(staged, origin: "libraries")
    }

    /// output:F for the formats made from the DomD tree alone (initramfs, ext4, manifest).
    static func domdFormat(_ format: OutputFormat, _ input: ImagePlanInput, _ session: BuildSession,
                           _ context: StepContext) throws {
        let tree = try TreeRecord.read(from: context.outputDirectory(of: StepID(StepKind.rootfs.id)))
        let destination = context.outputDirectory.appendingPathComponent(format.fileName)
        let epoch = UInt32(clamping: input.sourceDateEpoch)
        switch format {
        case .initramfs:
            try Data(CPIOArchive.compressedArchive(tree, epoch: epoch)).write(to: destination)
        case .ext4:
            _ = try Ext4Image.write(tree, to: destination.path,
                                    options: Ext4Options(name: "\(input.imageName)/domd-rootfs", label: "domd",
                                                         epoch: epoch))
        case .manifest:
            // Every rootfs of the image: DomD's, and the control domain's when a disk is made.
            var trees = [(name: "domd", tree: tree)]
            let control = context.outputDirectory(of: StepID(StepKind.controlRootfs.id))
            if input.outputs.contains(.disk) || input.outputs.contains(.bmap) {
                trees.append((name: "control", tree: try TreeRecord.read(from: control)))
            }
            let contents = try PackageContents(try session.fetched(),
                                               cache: session.toolCache.appendingPathComponent("deb-contents"),
                                               tools: context.tools)
            try Manifest(rootfs: trees, packageOf: { contents.nameAndVersion(of: $0.path, symlinkTarget: $0.symlinkTarget) })
                .jsonData().write(to: destination)
        case .disk, .bmap, .sbom:
            throw BuildError.stepFailed(step: "output:\(format.rawValue)", reason: "not a DomD tree format")
        }
    }
}
