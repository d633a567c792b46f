// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// What a step does; the runner maps each kind to its work.
package enum StepKind: Hashable, Sendable {
    /// Fetch the locked target packages into the package cache.
    case fetchPackages
    /// Unpack the sysroot packages into one folder.
    case sysroot
    /// Unpack the kernel package and index its modules (`depmod -b`).
    case kernel
    /// Cross-compile driverdom's own programs the image carries (the init and the
    /// in-tree layers' backends) together, in one SwiftPM build.
    case compilePrograms
    /// Cross-compile one out-of-tree backend from its own package (`backend.package`).
    case compile(executable: String)
    /// Stage one layer: executable, its shared libraries, its kernel modules.
    case stageLayer(layer: String)
    /// Write the init's service table from bindings and options.
    case serviceTable
    /// Assemble the DomD rootfs tree.
    case rootfs
    /// Unpack the image's packages (all but the kernel) into one target root,
    /// where the control domain's toolstack and Xen are taken from.
    case imagePackages
    /// Assemble the control domain's rootfs (dom0: toolstack, init in control
    /// role, Xen configs, DomD's initramfs) for the disk image.
    case controlRootfs
    /// Gather the license facts of everything the rootfs carry and check the license policy.
    case licenses
    /// Write one output format.
    case output(OutputFormat)

    /// The step that compiles `executable`: ``compilePrograms`` for driverdom's own,
    /// ``compile(executable:)`` for an out-of-tree backend.
    package static func compiling(_ executable: ExecutableInput) -> StepKind {
        executable.vendor ? .compile(executable: executable.name) : .compilePrograms
    }

    /// The step identifier (unique in a plan), e.g. `stage:kbdif` or `compile:keymap-backend`.
    package var id: String {
        switch self {
        case .fetchPackages: "fetch"
        case .sysroot: "sysroot"
        case .kernel: "kernel"
        case .compilePrograms: "compile"
        case let .compile(executable): "compile:\(executable)"
        case let .stageLayer(layer): "stage:\(layer)"
        case .serviceTable: "service-table"
        case .rootfs: "rootfs"
        case .imagePackages: "image-packages"
        case .controlRootfs: "control-rootfs"
        case .licenses: "licenses"
        case let .output(format): "output:\(format.rawValue)"
        }
    }
}

/// One labelled input value of a step.
package struct StepField: Sendable, Equatable {
    /// What the value is (`sources`, `flags`, `options`).
    package var label: String
    /// The value as text.
    package var value: String
}

/// One step of a build plan with its cache key and the steps it needs first.
package struct PlannedStep: Sendable, Equatable {
    /// What it does.
    package var kind: StepKind
    /// Hash of every input that can change its output, dependencies' keys included.
    package var key: String
    /// Its own inputs (label, value), without the dependencies: what the engine
    /// hashes together with the dependencies' output digests.
    package var inputs: [StepField]
    /// Identifiers of the steps whose outputs it reads.
    package var dependencies: [String]
    /// One-line description for progress output.
    package var title: String
    /// Whether it runs even when its key is cached (`--layer`).
    package var forced: Bool

    /// The step identifier.
    package var id: String { kind.id }
}
