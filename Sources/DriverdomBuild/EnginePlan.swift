// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DriverdomConfig

/// Glue to BuildEngine: turns an ``ImagePlan`` into the engine's steps (own
/// inputs as values, dependencies as `.output(of:)`, so the engine keys each
/// step on its dependencies' output digests) with their actions, and names
/// the files exported to the output folder.
enum EnginePlan {
    /// The engine plan of `plan`, whose steps act through `session`.
    static func make(_ plan: ImagePlan, input: ImagePlanInput, session: BuildSession) -> BuildPlan {
        let steps = plan.steps.map { planned in
            Step(id: StepID(planned.id), description: planned.title, kind: kindName(planned.kind), kindVersion: "1",
                 inputs: planned.inputs.map { StepInput.value(name: $0.label, value: $0.value) }
                    + planned.dependencies.map { StepInput.output(of: StepID($0)) },
                 action: action(planned.kind, input: input, session: session))
        }
        var exports = input.outputs.map { format in
            OutputExport(step: StepID(StepKind.output(format).id), path: format.fileName, destination: format.fileName)
        }
        exports.append(OutputExport(step: StepID(StepKind.licenses.id), path: LicenseActions.fileName,
                                    destination: LicenseActions.fileName))
        exports.append(OutputExport(step: StepID(StepKind.rootfs.id), path: "sizes.txt", destination: "domd-sizes.txt"))
        if input.testGuestModules {
            exports.append(OutputExport(step: StepID(StepKind.kernel.id), path: KernelSourceBuild.guestModuleFolder,
                                        destination: KernelSourceBuild.exportedGuestModules))
        }
        if input.outputs.contains(.disk) || input.outputs.contains(.bmap) {
            exports.append(OutputExport(step: StepID(StepKind.output(.disk).id), path: DiskActions.bootFolder,
                                        destination: DiskActions.bootFolder))
        }
        return BuildPlan(steps: steps, exports: exports)
    }

    /// Step ids `--layer` forces (the layers' compile and stage steps).
    static func forcedSteps(_ plan: ImagePlan) -> Set<StepID> {
        Set(plan.steps.filter(\.forced).map { StepID($0.id) })
    }

    private static func kindName(_ kind: StepKind) -> String {
        switch kind {
        case .fetchPackages: "fetch"
        case .sysroot: "sysroot"
        case .kernel: "kernel"
        case .compilePrograms, .compile: "compile"
        case .stageLayer: "stage"
        case .serviceTable: "service-table"
        case .rootfs: "rootfs"
        case .imagePackages: "image-packages"
        case .controlRootfs: "control-rootfs"
        case .licenses: "licenses"
        case let .output(format): "output-" + format.rawValue
        }
    }

    private static func action(_ kind: StepKind, input: ImagePlanInput,
                               session: BuildSession) -> @Sendable (StepContext) throws -> Void {
        switch kind {
        case .fetchPackages: { try StepActions.fetch(session, $0) }
        case .sysroot: { try StepActions.sysroot(session, $0) }
        case .kernel: { try StepActions.kernel(session, $0) }
        case .compilePrograms:
            { try StepActions.compilePrograms(input.ownPrograms.map(\.name), session, $0) }
        case let .compile(executable): { try StepActions.compile(executable, session, $0) }
        case let .stageLayer(name):
            { context in
                guard let layer = input.layers.first(where: { $0.name == name }) else {
                    throw BuildError.planStepFailed(id: kind.id, reason: "layer \(name) is not in the plan input")
                }
                try StepActions.stage(layer, session, context)
            }
        case .serviceTable: { try AssemblyActions.serviceTable(session, $0) }
        case .rootfs: { try AssemblyActions.rootfs(input, session, $0) }
        case .imagePackages: { try ControlDomain.unpackImagePackages(session, $0) }
        case .controlRootfs: { try ControlDomain.rootfs(input, session, $0) }
        case .output(.disk): { try DiskActions.disk(input, session, $0) }
        case .output(.bmap): { try DiskActions.bmap($0) }
        case .licenses: { try LicenseActions.licenses(input, session, $0) }
        case .output(.sbom): { try SBOMActions.sbom(input, session, $0) }
        case let .output(format): { try AssemblyActions.domdFormat(format, input, session, $0) }
        }
    }
}
