// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DebianPackages
import DriverdomConfig
import Foundation

/// Gathers everything the plan depends on from the loaded configuration, the
/// package lock, Package.swift and the toolchain (reading files, never writing
/// outside the planning cache), so that ``BuildPlanner`` stays pure.
package struct PlanInputResolver {
    /// The DomD init executable target.
    package static let initExecutable = "driverdom-init"
    /// Flags every cross compile uses (the rest lives in the versioned Swift SDK).
    package static let compileFlags = ["configuration=release", "strip=llvm-objcopy --strip-all",
                                      "scrub=\(BuildPathScrubber.sections.sorted().joined(separator: ","))",
                                      "sdk-layout=\(SwiftSDK.layoutVersion)",
                                      "swift-flags=\(SwiftSDK.embeddedFlags.joined(separator: " "))",
                                      "link-flags=\(SwiftSDK.fixedLinkerFlags.joined(separator: " "))",
                                      "sysroot-layout=\(SysrootBuilder.layoutVersion)"]

    /// Folder holding Package.swift, Boards/, Layers/.
    package let packageRoot: URL
    /// Where the remembered dump-package output and tool digests go.
    package let planningCache: URL

    /// Creates a resolver for the package at `packageRoot`.
    package init(packageRoot: URL, planningCache: URL) {
        self.packageRoot = packageRoot
        self.planningCache = planningCache
    }

    /// The plan input of `configuration` for `architecture` with `lock`.
    package func resolve(_ configuration: Configuration, architecture: Architecture, lock: PackageLock,
                        toolchainVersion: String, assemblerDigest: String) throws(BuildError) -> ImagePlanInput {
        let manifest = PackageManifest(packageRoot: packageRoot, cacheFolder: planningCache)
        let graph = try manifest.moduleGraph()
        let initDigest = try manifest.executableDigest(Self.initExecutable, in: graph)
        var layers: [LayerPlanInput] = []
        for binding in configuration.bindings {
            let layer = binding.layer
            let executable: ExecutableInput
            if let package = layer.backendPackage {
                executable = try vendorExecutable(layer, package: package, driverdom: manifest, graph)
            } else {
                executable = ExecutableInput(
                    name: layer.executable,
                    sourceDigest: try manifest.executableDigest(layer.executable, in: graph, layer: layer.name),
                    license: try manifest.executableLicense(layer.executable, in: graph))
            }
            // `<collection>/Layers/<name>`, hashed as "Layers/<name>" whichever collection holds it,
            // so keys do not depend on where the checkout or the product repo is.
            let layerFolder = URL(fileURLWithPath: layer.directory).standardizedFileURL
            let collection = SourceDigest(packageRoot: layerFolder.deletingLastPathComponent().deletingLastPathComponent())
            let relative = "Layers/" + layerFolder.lastPathComponent
            layers.append(LayerPlanInput(
                name: layer.name, executable: executable,
                kernelModules: layer.modules + binding.devices.flatMap(\.domdModules),
                packages: layer.packages, layerFilesDigest: try collection.digest(of: relative),
                options: binding.options.mapValues(\.description),
                bindings: binding.devices.map { "\($0.id) \($0.domd)" }
                    + DomDServices.guestBinds(of: configuration, binding: binding).map { "bind \($0.id) \($0.target)" }))
        }
        var input = ImagePlanInput(
            imageName: configuration.image.name, architecture: architecture,
            packageLockDigest: TargetPackages.digest(of: lock),
            sysrootPackages: lock.sets[BasePackageSets.sysrootSetName] ?? [],
            imagePackages: lock.sets[BasePackageSets.imageSetName] ?? [],
            toolchainVersion: toolchainVersion, compileFlags: Self.compileFlags,
            initExecutable: ExecutableInput(name: Self.initExecutable, sourceDigest: initDigest,
                                            license: try manifest.executableLicense(Self.initExecutable, in: graph)),
            assemblerDigest: assemblerDigest, layers: layers,
            domdMode: configuration.image.driverDomain.mode.rawValue,
            debugShell: configuration.image.driverDomain.debugShell,
            etcFiles: DomDRootfs.etcFiles(for: configuration).mapValues { KeyHasher.sha256(Data($0.utf8)) },
            sourceDateEpoch: try sourceDateEpoch(configuration),
            xenConfigDigest: try ControlDomain.xenConfigDigest(configuration),
            flashLayout: String(describing: configuration.board.flash),
            outputs: configuration.image.outputs)
        input.kernelSourceBuild = KernelSourceBuild.specification(configuration)
        input.kernelPackages = lock.packages.filter { $0.name.hasPrefix("linux-") }
            .map { "\($0.name) \($0.version) \($0.sha256)" }.sorted()
        input.testGuestModules = !KernelSourceBuild.guestModuleBuilds(configuration).isEmpty
        input.licensePolicy = configuration.licensePolicy.canonicalText
        return input
    }

    /// An out-of-tree backend (`backend.package`): its own closure's digest plus the
    /// digest of each driverdom library product it uses (`.product(name:package: "driverdom")`),
    /// so an edit of either rebuilds it.
    func vendorExecutable(_ layer: Layer, package: String, driverdom: PackageManifest,
                          _ graph: ModuleGraph) throws(BuildError) -> ExecutableInput {
        let vendor = PackageManifest(packageRoot: URL(fileURLWithPath: package), cacheFolder: planningCache)
        let vendorGraph = try vendor.moduleGraph(environment: [PackageManifest.driverdomPackageVariable: packageRoot.path])
        var hasher = KeyHasher(domain: "vendor-executable")
        hasher.add("own", try vendor.executableDigest(layer.executable, in: vendorGraph, layer: layer.name))
        var used: Set<String> = []
        for target in try vendorGraph.closure(of: layer.executable) {
            for external in target.externalDependencies where external.hasPrefix("driverdom/") {
                used.insert(String(external.dropFirst("driverdom/".count)))
            }
        }
        for product in used.sorted() {
            hasher.add("driverdom", product)
            hasher.add("digest", try driverdom.libraryDigest(product, in: graph))
        }
        return ExecutableInput(name: layer.executable, sourceDigest: hasher.finalize(),
                               license: try vendor.executableLicense(layer.executable, in: vendorGraph), vendor: true)
    }

    /// SOURCE_DATE_EPOCH: the image's value, else the time of the last git commit of
    /// the repository holding the image (a product repo's own history when installed).
    package func sourceDateEpoch(_ configuration: Configuration) throws(BuildError) -> Int {
        if let epoch = configuration.image.sourceDateEpoch { return epoch }
        let folder = (configuration.image.path as NSString).deletingLastPathComponent
        let result = try HostCommand.run(["git", "-C", folder, "log", "-1", "--format=%ct"])
        guard result.status == 0, let epoch = Int(result.stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .runToolFailed(command: ["git", "log", "-1", "--format=%ct"], status: result.status,
                                 output: result.stderrText + " (set source_date_epoch in the image to build outside git)")
        }
        return epoch
    }

    /// The digest of the running driverdom executable, remembered per (path, size, mtime).
    package func assemblerDigest(executable: String = "/proc/self/exe") throws(BuildError) -> String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: executable)) ?? executable
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date else {
            throw .hashSourcesFailed(path: path, reason: "cannot stat the driverdom executable")
        }
        let stamp = KeyHasher.sha256(Data("\(path)\n\(size)\n\(modified.timeIntervalSince1970)".utf8))
        let remembered = planningCache.appendingPathComponent("tool-\(stamp)")
        if let digest = try? String(contentsOf: remembered, encoding: .utf8), digest.count == 64 { return digest }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .hashSourcesFailed(path: path, reason: "cannot read the driverdom executable")
        }
        let digest = KeyHasher.sha256(data)
        try? FileManager.default.createDirectory(at: planningCache, withIntermediateDirectories: true)
        try? digest.write(to: remembered, atomically: true, encoding: .utf8)
        return digest
    }
}
