// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DebianPackages
import DriverdomConfig
import Foundation
import Licensing
import RootfsAssembly

/// The licenses step: every component the image's rootfs carry a file of —
/// Debian packages (by the paths they ship), driverdom's executables (license
/// from their sources' SPDX headers) and kernel modules built from
/// linux-source — with their license facts, checked against the image's
/// license policy. Writes `licenses.json`; a refusal fails the step with a
/// ``LicensePolicyViolation``, so the build stops before anything is promoted.
enum LicenseActions {
    /// The step's output file (also exported to the output folder).
    static let fileName = LicenseRecord.fileName

    static func licenses(_ input: ImagePlanInput, _ session: BuildSession, _ context: StepContext) throws {
        let components = try shippedComponents(input, session, context)
        let audit = LicenseAudit(components, configuration: session.configuration)
        for warning in audit.warnings { context.note(warning) }
        guard audit.errors.isEmpty else { throw LicensePolicyViolation(diagnostics: audit.errors) }
        try CanonicalJSON.encode(audit.record).write(to: context.outputDirectory.appendingPathComponent(fileName))
    }

    /// The rootfs trees of the image: DomD's, and the control domain's when a disk is made.
    static func trees(_ input: ImagePlanInput, _ context: StepContext) throws -> [(name: String, tree: StagedTree)] {
        var trees = [(name: "domd", tree: try TreeRecord.read(from: context.outputDirectory(of: StepID(StepKind.rootfs.id))))]
        if input.outputs.contains(.disk) || input.outputs.contains(.bmap) {
            let control = context.outputDirectory(of: StepID(StepKind.controlRootfs.id))
            trees.append((name: "control", tree: try TreeRecord.read(from: control)))
        }
        return trees
    }

    /// Components with files in the trees, in kind order then name order.
    static func shippedComponents(_ input: ImagePlanInput, _ session: BuildSession,
                                  _ context: StepContext) throws -> [LicensedComponent] {
        let fetched = try session.fetched()
        let facts = DebFacts(cache: session.toolCache.appendingPathComponent("deb-contents"), tools: context.tools)
        let contents = try PackageContents(fetched, facts: facts)
        let reader = PackageLicenseReader(lock: fetched.lock, files: fetched.files, facts: facts)
        var rootfsOf: [String: [String]] = [:]
        var packages: [String: LockedPackage] = [:]
        for (name, tree) in try trees(input, context) {
            for entry in tree.sortedEntries() where !entry.isDirectory {
                guard let owner = contents.owner(of: entry.path, symlinkTarget: entry.symlinkTarget) else { continue }
                packages[owner.name] = owner
                if rootfsOf[owner.name]?.contains(name) != true { rootfsOf[owner.name, default: []].append(name) }
            }
        }
        var components: [LicensedComponent] = []
        for name in packages.keys.sorted() {
            components.append(LicensedComponent(package: try reader.license(of: packages[name]!),
                                                rootfs: rootfsOf[name] ?? []))
        }
        let everywhere = try trees(input, context).map(\.name)
        for executable in [input.initExecutable] + input.layers.map(\.executable) {
            let component = LicensedComponent(
                kind: .driverdom, name: executable.name, version: DriverdomComponents.version(of: executable),
                declared: executable.license,
                noAssertionReason: executable.license == nil ? "no source file of \(executable.name) has an SPDX header" : nil,
                rootfs: executable.name == input.initExecutable.name ? everywhere : ["domd"])
            if !components.contains(where: { $0.kind == .driverdom && $0.name == component.name }) { components.append(component) }
        }
        let kernel = context.outputDirectory(of: StepID(StepKind.kernel.id))
        for module in try BuiltModuleLicense.read(from: kernel) {
            var component = LicensedComponent(
                kind: .kernelModules, name: module.module, version: module.packageVersion, declared: module.license,
                noAssertionReason: module.license == nil ? "no source file of \(module.source) has an SPDX header" : nil,
                rootfs: try trees(input, context).filter { $0.tree.entry(at: module.path) != nil }.map(\.name))
            if let package = fetched.lock.packages.first(where: { $0.name == module.package }) {
                let facts = try reader.license(of: package)
                component.source = facts.source
                component.sourceVersion = facts.sourceVersion
            }
            components.append(component)
        }
        return components
    }
}
