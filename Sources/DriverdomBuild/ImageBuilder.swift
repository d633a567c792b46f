// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import CrossToolchain
import DriverdomConfig
import Foundation

/// What a finished `driverdom build` did.
package struct BuildReport: Sendable {
    /// The engine's result: status, steps run and cached, keys, time.
    package var result: BuildResult
    /// The image's output folder.
    package var outputFolder: URL
    /// Size per component of the DomD rootfs (and the control rootfs), when built.
    package var sizeReport: String?
    /// The plan that was run.
    package var plan: ImagePlan
}

/// `driverdom build`: loads and validates the image, resolves the lock, plans
/// the steps and runs them on the build engine, then promotes the outputs.
///
/// Order matters for the user: everything that can be a configuration or usage
/// error (config diagnostics, `--arch`, `--layer` names, layer executables) is
/// checked before the package lock, the cache or the output folder are touched.
package struct ImageBuilder {
    /// The request.
    package let request: BuildRequest

    /// Creates a builder for `request`.
    package init(request: BuildRequest) {
        self.request = request
    }

    /// Checks the request against the configuration; returns the architecture to build.
    package func validate(_ configuration: Configuration) throws(BuildError) -> Architecture {
        let board = configuration.board
        if let requested = request.architecture, requested != board.architecture {
            throw .selectArchitectureFailed(requested: requested.rawValue, board: board.name,
                                            boardArchitecture: board.architecture.rawValue)
        }
        let names = configuration.image.layers.map(\.layer)
        for name in request.forcedLayers where !names.contains(name) {
            throw .selectLayerFailed(name: name, available: names)
        }
        return board.architecture
    }

    /// Plans and runs the build of an already loaded and validated configuration.
    package func build(_ configuration: Configuration, architecture: Architecture,
                      reporter: any BuildReporter, cancellation: CancellationToken) throws -> BuildReport {
        let locations = request.locations
        let packageRoot = URL(fileURLWithPath: configuration.repository.root)
        guard FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("Package.swift").path) else {
            throw BuildError.readPackageManifestFailed(reason: "\(packageRoot.path) holds Boards/ and Layers/ but no Package.swift; the backends are built from the driverdom package")
        }
        let resolver = PlanInputResolver(packageRoot: packageRoot, planningCache: locations.planningCache)
        let toolchain = try SwiftToolchain.fromPath()
        let toolchainVersion = try toolchain.version(rememberedIn: locations.planningCache)
        let packages = try TargetPackages(configuration: configuration, architecture: architecture,
                                          cache: locations.packageCache)
        let lock = try packages.lock(offline: request.offline)
        var input = try resolver.resolve(configuration, architecture: architecture, lock: lock,
                                         toolchainVersion: toolchainVersion,
                                         assemblerDigest: try resolver.assemblerDigest())
        input.archiveURI = packages.archiveURI ?? ""
        let plan = try BuildPlanner.plan(input, forcedLayers: request.forcedLayers)
        let session = BuildSession(configuration: configuration, packageRoot: packageRoot, packages: packages,
                                   lock: lock, offline: request.offline, toolchain: toolchain,
                                   toolCache: locations.packageCache)
        let outputFolder = locations.outputFolder(image: configuration.image.name)
        let options = BuildOptions(cacheDirectory: locations.stepCache.path, outputDirectory: outputFolder.path,
                                   jobs: request.jobs, forcedSteps: EnginePlan.forcedSteps(plan),
                                   reporter: reporter, cancellation: cancellation)
        let result = BuildEngine.run(EnginePlan.make(plan, input: input, session: session), options: options)
        var sizes: String?
        if case .succeeded = result.status {
            sizes = try? String(contentsOf: outputFolder.appendingPathComponent("domd-sizes.txt"), encoding: .utf8)
        }
        return BuildReport(result: result, outputFolder: outputFolder, sizeReport: sizes, plan: plan)
    }

    /// The engine reporter for a progress style.
    package static func reporter(for style: ProgressStyle) -> any BuildReporter {
        switch style {
        case .human: HumanReporter()
        case .verbose: HumanReporter(verbosity: .verbose)
        case .quiet: QuietReporter()
        case .json: JSONLinesReporter()
        }
    }
}
