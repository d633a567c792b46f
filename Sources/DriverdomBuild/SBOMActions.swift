// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DriverdomConfig
import Foundation
import RootfsAssembly
import XenConfig

/// output:sbom: `sbom.spdx.json`, made by ``SBOMBuilder`` from the rootfs trees
/// and the licenses step's audited components.
///
/// A file's provenance: the Debian package that ships its path (symlink-aware,
/// see ``PackageContents``); else by how driverdom staged it — the init, a
/// layer's backend, a module built from linux-source, DomD's initramfs (the
/// DomD rootfs), or a file driverdom generated.
enum SBOMActions {
    static func sbom(_ input: ImagePlanInput, _ session: BuildSession, _ context: StepContext) throws {
        let licenses = context.outputDirectory(of: StepID(StepKind.licenses.id))
            .appendingPathComponent(LicenseActions.fileName)
        let record = try JSONDecoder().decode(LicenseRecord.self, from: Data(contentsOf: licenses))
        let fetched = try session.fetched()
        let facts = DebFacts(cache: session.toolCache.appendingPathComponent("deb-contents"), tools: context.tools)
        let contents = try PackageContents(fetched, facts: facts)
        let reader = PackageLicenseReader(lock: fetched.lock, files: fetched.files, facts: facts)

        var builder = SBOMBuilder(subject: SBOMBuilder.Subject(imageName: input.imageName, epoch: input.sourceDateEpoch,
                                                               archiveURI: session.packages.archiveURI))
        for row in record.rows { builder.add(row) }
        // The kernel sources the modules were built from.
        let modules = try BuiltModuleLicense.read(from: context.outputDirectory(of: StepID(StepKind.kernel.id)))
        for (packageName, group) in Dictionary(grouping: modules, by: \.package).sorted(by: { $0.key < $1.key }) {
            guard let package = fetched.lock.packages.first(where: { $0.name == packageName }) else { continue }
            builder.addBuiltFrom(LicensedComponent(package: try reader.license(of: package)), for: .kernelModules,
                                 names: group.map(\.module))
        }
        let modulePaths = Dictionary(modules.map { ($0.path, $0.module) }, uniquingKeysWith: { first, _ in first })
        let layerOfOrigin = Dictionary(input.layers.map { ("layer \($0.name)", $0.executable.name) },
                                       uniquingKeysWith: { first, _ in first })
        for (name, tree) in try LicenseActions.trees(input, context) {
            try builder.add(rootfs: name, tree: tree) { entry in
                let debian = contents.owner(of: entry.path, symlinkTarget: entry.symlinkTarget)?.name
                if let module = modulePaths[entry.path] { return (debian, .component(kind: .kernelModules, name: module)) }
                switch entry.origin {
                case "init": return (debian, .component(kind: .driverdom, name: input.initExecutable.name))
                case let origin where layerOfOrigin[origin] != nil:
                    return (debian, .component(kind: .driverdom, name: layerOfOrigin[origin]!))
                case "domd" where entry.path == DomDFiles.standard.ramdisk:
                    return (debian, .rootfs("domd"))
                case "etc", "service table", "xen config", "skeleton", "domd", "kernel-modules", LicenseTexts.origin:
                    return (debian, .generated)
                default:
                    return (debian, nil)
                }
            }
        }
        let comment = "SBOM of image \(input.imageName) made by driverdom: the Debian packages, driverdom executables"
            + " and kernel modules its root filesystems carry files of, and every regular file of every root filesystem"
            + " (symlinks, folders and device nodes are listed in manifest.json)."
        try builder.document(comment: comment).jsonData()
            .write(to: context.outputDirectory.appendingPathComponent(OutputFormat.sbom.fileName))
    }
}
