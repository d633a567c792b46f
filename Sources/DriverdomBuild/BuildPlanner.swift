// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// Turns an ``ImagePlanInput`` into a ``ImagePlan``: a pure function (no files,
/// no tools), so every cache-key rule is testable on its own.
///
/// "tool" is the digest of the driverdom executable: its own code stages and
/// assembles, so a new driverdom redoes those steps (never the compiles).
///
/// Keys chain: a step's key hashes its own inputs and the keys of the steps it
/// depends on, so a change invalidates exactly that step and what is downstream.
///
/// | step | own inputs | depends on |
/// |---|---|---|
/// | fetch | architecture, lock digest, package lists | — |
/// | sysroot | sysroot package list | fetch |
/// | compile | each own program's name and module-closure digest (the init, in-tree backends), flags, swiftc version, triple | sysroot |
/// | compile:E | an out-of-tree backend's closure digest (with the driverdom products it uses), flags, swiftc version, triple | sysroot |
/// | kernel | architecture, the locked linux-* packages, modules/DTB built from linux-source, its code's version | — |
/// | stage:L | layer files, kernel modules, runtime packages, tool | compile, kernel, sysroot |
/// | service-table | bindings and options of every layer, tool | — |
/// | rootfs | debug shell, /etc files, SOURCE_DATE_EPOCH, tool | compile, every stage, service-table, kernel, fetch |
/// | output:F | format, SOURCE_DATE_EPOCH, tool | rootfs |
/// | image-packages | architecture, tool | fetch |
/// | control-rootfs | Xen configs, layers, SOURCE_DATE_EPOCH, tool | image-packages, kernel, compile, initramfs |
/// | output:disk | flash layout, SOURCE_DATE_EPOCH, tool | control-rootfs, kernel, image-packages |
/// | output:bmap | SOURCE_DATE_EPOCH, tool | disk |
/// | licenses | license policy, executables' licenses, tool | rootfs, fetch, kernel, control-rootfs (with a disk) |
/// | output:sbom | SOURCE_DATE_EPOCH, archive URI, tool | licenses, rootfs, fetch, kernel, control-rootfs (with a disk) |
package enum BuildPlanner {
    /// Plans the build of `input`; `forcedLayers` (from `--layer`) run their
    /// compile and stage steps even when cached. Steps downstream of them run
    /// only when a forced step's output changed: the engine keys them on their
    /// dependencies' output digests (early cutoff).
    package static func plan(_ input: ImagePlanInput, forcedLayers: [String] = []) throws(BuildError) -> ImagePlan {
        let layerNames = input.layers.map(\.name)
        for name in forcedLayers where !layerNames.contains(name) {
            throw .selectLayerFailed(name: name, available: layerNames)
        }
        var steps: [PlannedStep] = []
        var keys: [String: String] = [:]

        func add(_ kind: StepKind, _ title: String, dependsOn dependencies: [StepKind],
                 _ fill: (inout KeyHasher) -> Void) {
            var own = KeyHasher(domain: kind.id)
            fill(&own)
            var chained = KeyHasher(domain: kind.id)
            let dependencyIDs = dependencies.map(\.id)
            for id in dependencyIDs { chained.add("dependency:" + id, keys[id] ?? "") }
            chained.add("own", own.finalize())
            let key = chained.finalize()
            keys[kind.id] = key
            steps.append(PlannedStep(kind: kind, key: key,
                                     inputs: own.fields.map { StepField(label: $0.label, value: $0.value) },
                                     dependencies: dependencyIDs, title: title, forced: false))
        }

        let arch = input.architecture
        let allPackages = Set(input.sysrootPackages + input.imagePackages + input.layers.flatMap(\.packages)).sorted()
        add(.fetchPackages, "fetch \(allPackages.count) \(arch.debianName) packages", dependsOn: []) {
            $0.add("architecture", arch.debianName)
            $0.add("lock", input.packageLockDigest)
            $0.add("packages", allPackages)
        }
        add(.sysroot, "assemble \(arch.debianName) sysroot", dependsOn: [.fetchPackages]) {
            $0.add("packages", input.sysrootPackages.sorted())
        }
        // Keyed by the kernel packages and its own code's version, not by the tool nor by the other
        // packages: a new driverdom or a lock change elsewhere keeps the unpacked, indexed kernel.
        add(.kernel, "unpack kernel and index its modules", dependsOn: []) {
            $0.add("architecture", arch.debianName)
            $0.add("packages", input.kernelPackages)
            $0.add("version", StepActions.kernelStepVersion)
            if !input.kernelSourceBuild.isEmpty { $0.add("kernel-source-build", input.kernelSourceBuild) }
        }
        func compileInputs(_ executables: [ExecutableInput]) -> (inout KeyHasher) -> Void {
            { hasher in
                for executable in executables {
                    hasher.add("executable", executable.name)
                    hasher.add("sources", executable.sourceDigest)
                }
                hasher.add("flags", input.compileFlags)
                hasher.add("toolchain", input.toolchainVersion)
                hasher.add("architecture", arch.rawValue)
            }
        }
        // driverdom's own programs in one step (one SwiftPM build); each out-of-tree backend in its own.
        let ownPrograms = input.ownPrograms
        let programsCompile = StepKind.compilePrograms
        add(programsCompile, "compile \(ownPrograms.map(\.name).joined(separator: ", ")) for \(arch.rawValue)",
            dependsOn: [.sysroot], compileInputs(ownPrograms))
        for layer in input.layers {
            let compile = StepKind.compiling(layer.executable)
            if keys[compile.id] == nil {
                add(compile, "compile \(layer.executable.name) for \(arch.rawValue)", dependsOn: [.sysroot],
                    compileInputs([layer.executable]))
            }
            add(.stageLayer(layer: layer.name), "stage layer \(layer.name)",
                dependsOn: [compile, .kernel, .sysroot]) {
                $0.add("layer", layer.name)
                $0.add("assembler", input.assemblerDigest)
                $0.add("files", layer.layerFilesDigest)
                $0.add("modules", layer.kernelModules.sorted())
                $0.add("packages", layer.packages.sorted())
            }
        }
        add(.serviceTable, "write service table (\(input.layers.count) services)", dependsOn: []) {
            $0.add("assembler", input.assemblerDigest)
            $0.add("domd-mode", input.domdMode)
            for layer in input.layers {
                $0.add("layer", layer.name)
                $0.add("executable", layer.executable.name)
                $0.add("options", layer.options)
                $0.add("bindings", layer.bindings)
            }
        }
        var rootfsInputs: [StepKind] = [programsCompile]
        rootfsInputs += input.layers.map { .stageLayer(layer: $0.name) }
        rootfsInputs += [.serviceTable, .kernel, .fetchPackages]
        add(.rootfs, "assemble DomD rootfs", dependsOn: rootfsInputs) {
            $0.add("image", input.imageName)
            $0.add("assembler", input.assemblerDigest)
            $0.add("debug-shell", input.debugShell ? "1" : "0")
            $0.add("domd-mode", input.domdMode)
            $0.add("etc", input.etcFiles)
            $0.add("epoch", String(input.sourceDateEpoch))
        }
        let outputs = Set(input.outputs)
        for format in OutputFormat.allCases where format != .sbom && (outputs.contains(format) || needed(format, by: outputs)) {
            if format == .disk {
                add(.imagePackages, "unpack image packages", dependsOn: [.fetchPackages]) {
                    $0.add("architecture", arch.debianName)
                    $0.add("assembler", input.assemblerDigest)
                }
                add(.controlRootfs, "assemble control-domain rootfs",
                    dependsOn: [.imagePackages, .kernel, programsCompile, .output(.initramfs)]) {
                    $0.add("image", input.imageName)
                    $0.add("assembler", input.assemblerDigest)
                    $0.add("xen-config", input.xenConfigDigest)
                    $0.add("layers", input.layers.map(\.name))
                    $0.add("epoch", String(input.sourceDateEpoch))
                }
            }
            var dependencies: [StepKind] = [.rootfs]
            if format == .disk { dependencies = [.controlRootfs, .kernel, .imagePackages] }
            // The manifest lists every rootfs (the control domain's with a disk) and the packages files came from.
            if format == .manifest {
                dependencies = [.rootfs, .fetchPackages] + (steps.contains { $0.id == StepKind.controlRootfs.id } ? [.controlRootfs] : [])
            }
            if format == .bmap { dependencies = [.output(.disk)] }
            add(.output(format), "write \(format.fileName)", dependsOn: dependencies) {
                $0.add("format", format.rawValue)
                $0.add("assembler", input.assemblerDigest)
                $0.add("epoch", String(input.sourceDateEpoch))
                if format == .disk { $0.add("flash-layout", input.flashLayout) }
            }
        }

        // Every build checks the license policy against what its rootfs carry.
        let controlPlanned = steps.contains { $0.id == StepKind.controlRootfs.id }
        add(.licenses, "check licenses against the policy",
            dependsOn: [.rootfs, .fetchPackages, .kernel] + (controlPlanned ? [.controlRootfs] : [])) {
            $0.add("assembler", input.assemblerDigest)
            $0.add("policy", input.licensePolicy)
            $0.add("executables", ([input.initExecutable] + input.layers.map(\.executable))
                .map { "\($0.name) \($0.license ?? "NOASSERTION")" })
        }
        if outputs.contains(.sbom) {
            add(.output(.sbom), "write \(OutputFormat.sbom.fileName)",
                dependsOn: [.licenses, .rootfs, .fetchPackages, .kernel] + (controlPlanned ? [.controlRootfs] : [])) {
                $0.add("format", OutputFormat.sbom.rawValue)
                $0.add("assembler", input.assemblerDigest)
                $0.add("epoch", String(input.sourceDateEpoch))
                $0.add("archive", input.archiveURI)
            }
        }

        var plan = try ImagePlan(steps: steps)
        let forcedRoots = Set(forcedLayers.flatMap { name -> [String] in
            let layer = input.layers.first { $0.name == name }!
            return [StepKind.compiling(layer.executable).id, StepKind.stageLayer(layer: name).id]
        })
        let forced = forcedRoots
        plan = try ImagePlan(steps: plan.steps.map { step in
            var step = step
            step.forced = forced.contains(step.id)
            return step
        })
        return plan
    }

    /// Whether `format` must be written because a requested format is built from it.
    private static func needed(_ format: OutputFormat, by outputs: Set<OutputFormat>) -> Bool {
        switch format {
        case .initramfs: outputs.contains(.disk) || outputs.contains(.bmap)
        case .disk: outputs.contains(.bmap)
        default: false
        }
    }
}
