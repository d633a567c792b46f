// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import CrossToolchain
import DebianPackages
import DriverdomConfig
import Foundation

/// What the steps of one build (or of a `driverdom run`/`test` session's
/// preparation) share: the configuration, the lock, and the fetched packages
/// and Swift SDK, each made once (on first use) per build.
// @unchecked Sendable: the steps of a build share it; the cached results
// (`fetchedPackages`, `swiftSDK`) are read and written only under `mutex`; the
// rest is immutable.
package final class BuildSession: @unchecked Sendable {
    let configuration: Configuration
    /// The driverdom package (its Package.swift builds the target executables).
    package let packageRoot: URL
    /// The image's packages and lock file.
    package let packages: TargetPackages
    /// The lock in force.
    package let lock: PackageLock
    let offline: Bool
    let toolchain: SwiftToolchain
    /// Cache folder of packages, sysroots, SDKs and SwiftPM scratch folders.
    let toolCache: URL

    private let mutex = NSLock()
    private var fetchedPackages: FetchedPackages?
    private var swiftSDK: SwiftSDK?

    /// A session over `lock`; nothing is fetched or made until a step asks.
    package init(configuration: Configuration, packageRoot: URL, packages: TargetPackages, lock: PackageLock,
                offline: Bool, toolchain: SwiftToolchain, toolCache: URL) {
        self.configuration = configuration
        self.packageRoot = packageRoot
        self.packages = packages
        self.lock = lock
        self.offline = offline
        self.toolchain = toolchain
        self.toolCache = toolCache
    }

    /// Every locked package, verified in the package cache.
    package func fetched(progress: (@Sendable (DownloadProgress) -> Void)? = nil) throws -> FetchedPackages {
        mutex.lock()
        defer { mutex.unlock() }
        if let fetchedPackages { return fetchedPackages }
        let result = try packages.fetch(lock, offline: offline, progress: progress)
        fetchedPackages = result
        return result
    }

    /// The sysroot's Swift SDK.
    package func sdk() throws -> SwiftSDK {
        let fetched = try fetched()
        mutex.lock()
        defer { mutex.unlock() }
        if let swiftSDK { return swiftSDK }
        let result = try packages.sdk(fetched, toolchain: toolchain)
        swiftSDK = result
        return result
    }

    /// Cross-compiles out-of-tree backend `product` (a layer's `backend.package`) from
    /// its own package with SwiftPM and the Swift SDK, stripped, to `output`; commands
    /// run through `tools` (a step's). `DRIVERDOM_PACKAGE` names this package to its
    /// manifest. All out-of-tree packages share one scratch folder per SDK: SwiftPM
    /// rebuilds only what differs when the root package changes, so a second vendor
    /// package reuses the driverdom modules the first compiled (XenCore, XenLinux, …),
    /// and a package copied to a new folder leaves no new scratch folder behind.
    /// SwiftPM's lock on the folder runs two such builds one after the other.
    /// driverdom's own programs are built together by ``crossCompile(programs:into:tools:)``.
    package func crossCompile(_ product: String, to output: URL, tools: any ToolRunner) throws {
        let build = CrossBuild(sdk: try sdk(), toolchain: toolchain, runner: ToolCommandRunner(tools: tools))
        // Only out-of-tree backends come here; driverdom's own programs never build one by one
        // (alternating `--product` on one scratch folder made SwiftPM forget the others' modules).
        guard let vendor = configuration.layers.first(where: { $0.executable == product && $0.backendPackage != nil })?
            .backendPackage else {
            throw BuildError.stepFailed(step: "compile:\(product)",
                                        reason: "\(product) is no layer's out-of-tree backend (`backend.package`)")
        }
        let base = build.scratchPath(in: toolCache)
        let scratch = base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + "-vendor")
        let binary = try build.build(package: URL(fileURLWithPath: vendor), product: product, scratchPath: scratch,
                                     environment: [PackageManifest.driverdomPackageVariable: packageRoot.path])
        try build.strip(binary, to: output)
    }

    /// Cross-compiles `programs` (executables of driverdom's own package) together
    /// in one SwiftPM build on the scratch folder of that set, each stripped into
    /// `folder` under its name; commands run through `tools` (a step's).
    package func crossCompile(programs: [String], into folder: URL, tools: any ToolRunner) throws {
        let build = CrossBuild(sdk: try sdk(), toolchain: toolchain, runner: ToolCommandRunner(tools: tools))
        let binaries = try build.buildPrograms(package: packageRoot, programs: programs,
                                               scratchPath: build.scratchPath(in: toolCache, programs: programs))
        for (name, binary) in binaries.sorted(by: { $0.key < $1.key }) {
            try build.strip(binary, to: folder.appendingPathComponent(name))
        }
    }

    /// The verified .deb of the first locked package whose name matches `predicate`.
    package func deb(_ what: String, where predicate: (String) -> Bool) throws -> URL {
        let fetched = try fetched()
        guard let package = TargetPackages.package(in: lock, where: predicate),
              let file = fetched.files[package.name] else {
            throw BuildError.stepFailed(step: what, reason: "no \(what) package in \(packages.lockFile.path); refresh it with `\(packages.refreshCommand)`")
        }
        return file
    }
}
