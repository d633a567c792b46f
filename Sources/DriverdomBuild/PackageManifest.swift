// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The package's module graph, read with `swift package dump-package` once per
/// Package.swift content and remembered in the build cache, so a no-op rebuild
/// does not pay for SwiftPM's manifest evaluation.
package struct PackageManifest {
    /// The package root (folder holding Package.swift).
    package let packageRoot: URL
    /// Folder for the remembered dump (inside the build cache).
    package let cacheFolder: URL
    /// Each module folder's digest and license headers, read once per manifest reader:
    /// the executables of an image share most of their modules.
    private let memo = ModuleMemo()

    /// Creates a reader for the package at `packageRoot`.
    package init(packageRoot: URL, cacheFolder: URL) {
        self.packageRoot = packageRoot
        self.cacheFolder = cacheFolder
    }

    /// The environment variable naming the driverdom package to an out-of-tree
    /// backend package's manifest (`Context.environment`), see docs/layer-contract.md.
    package static let driverdomPackageVariable = "DRIVERDOM_PACKAGE"

    /// The module graph of Package.swift as it is now; `environment` is what its
    /// manifest sees (e.g. `DRIVERDOM_PACKAGE`).
    package func moduleGraph(swift: String = "swift", environment: [String: String] = [:]) throws(BuildError) -> ModuleGraph {
        let manifest = packageRoot.appendingPathComponent("Package.swift")
        guard var contents = try? Data(contentsOf: manifest) else {
            throw .readPackageManifestFailed(reason: "cannot read \(manifest.path)")
        }
        let settings = environment.keys.sorted().map { "\($0)=\(environment[$0]!)" }
        contents.append(Data(settings.joined(separator: "\n").utf8))
        let remembered = cacheFolder.appendingPathComponent("dump-package-\(KeyHasher.sha256(contents)).json")
        if let data = try? Data(contentsOf: remembered), let graph = try? ModuleGraph(dumpPackageJSON: data) {
            return graph
        }
        // A scratch path of our own: the package's .build may be locked by a running
        // `swift build` or `swift test` (which may be what runs this build).
        let scratch = cacheFolder.appendingPathComponent("dump-package-scratch").path
        let result = try HostCommand.run([swift, "package", "--scratch-path", scratch, "dump-package"],
                                         in: packageRoot, environment: environment)
        guard result.status == 0 else {
            throw .runToolFailed(command: ["swift", "package", "dump-package"], status: result.status,
                                 output: result.stderrText)
        }
        let graph = try ModuleGraph(dumpPackageJSON: result.standardOutput)
        try? FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        let temporary = remembered.appendingPathExtension("tmp-\(getpid())")
        if (try? result.standardOutput.write(to: temporary)) != nil {
            _ = rename(temporary.path, remembered.path)
        }
        return graph
    }

    /// The license of an executable target: the SPDX headers of its module closure's sources.
    package func executableLicense(_ name: String, in graph: ModuleGraph) throws(BuildError) -> String? {
        let folders = try graph.closure(of: name).map { packageRoot.appendingPathComponent($0.path) }
        let scans = folders.map { folder in memo.licenses(of: folder.path) { SourceLicenses.scan(folder) } }
        return SourceLicenses(scans: scans).expression?.description
    }

    /// The digest of everything an executable target is compiled from: for each
    /// module of its closure, its declaration (settings, linked libraries) and
    /// its source folder; plus the external products it uses.
    package func executableDigest(_ name: String, in graph: ModuleGraph, layer: String? = nil) throws(BuildError) -> String {
        guard graph.targets[name]?.type == "executable" else {
            throw .findExecutableTargetFailed(name: name, layer: layer)
        }
        return try closureDigest(name, in: graph)
    }

    /// The digest of a library product of this package (its target of the same
    /// name and that target's closure), for an out-of-tree backend that uses it.
    package func libraryDigest(_ name: String, in graph: ModuleGraph) throws(BuildError) -> String {
        guard graph.targets[name] != nil else {
            throw .readPackageManifestFailed(reason: "'\(name)' is not a library product of \(packageRoot.path)")
        }
        return try closureDigest(name, in: graph)
    }

    private func closureDigest(_ name: String, in graph: ModuleGraph) throws(BuildError) -> String {
        let sources = SourceDigest(packageRoot: packageRoot)
        var hasher = KeyHasher(domain: "executable")
        hasher.add("name", name)
        for target in try graph.closure(of: name) {
            hasher.add("module", target.name)
            hasher.add("declaration", target.declaration)
            hasher.add("external", target.externalDependencies)
            hasher.add("sources", try memo.digest(of: target.path) { () throws(BuildError) in try sources.digest(of: target.path) })
        }
        return hasher.finalize()
    }
}

/// What a ``PackageManifest`` reader has read of each module folder.
/// `@unchecked Sendable`: both dictionaries are only touched under `lock`.
private final class ModuleMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var digests: [String: String] = [:]
    private var licenses: [String: SourceLicenses.FolderScan] = [:]

    func digest(of folder: String, _ compute: () throws(BuildError) -> String) throws(BuildError) -> String {
        if let known = lock.withLock({ digests[folder] }) { return known }
        let digest = try compute()
        lock.withLock { digests[folder] = digest }
        return digest
    }

    func licenses(of folder: String, _ compute: () -> SourceLicenses.FolderScan) -> SourceLicenses.FolderScan {
        if let known = lock.withLock({ licenses[folder] }) { return known }
        let scan = compute()
        lock.withLock { licenses[folder] = scan }
        return scan
    }
}
