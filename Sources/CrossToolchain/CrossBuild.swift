// SPDX-License-Identifier: Apache-2.0
import DebianPackages
import Foundation

/// Builds a Swift package's products for a target with SwiftPM and a generated
/// Swift SDK, and strips the results. Each architecture (and SDK) gets its own
/// scratch folder, because SwiftPM neither notices SDK edits nor keeps
/// `.build/<configuration>` apart per triple.
package struct CrossBuild: Sendable {
    package let sdk: SwiftSDK
    package let toolchain: SwiftToolchain
    private let runner: any CommandRunning

    package init(sdk: SwiftSDK, toolchain: SwiftToolchain, runner: any CommandRunning = ProcessCommandRunner()) {
        self.sdk = sdk
        self.toolchain = toolchain
        self.runner = runner
    }

    /// The scratch folder for this SDK below `cache`: `<cache>/swiftpm/<arch>-<sdk key prefix>`.
    package func scratchPath(in cache: URL) -> URL {
        cache.appendingPathComponent("swiftpm/\(sdk.sysroot.architecture.debian)-\(sdk.key.prefix(16))")
    }

    /// The `swift build` command for `products` of the package at `package`.
    package func command(package: URL, products: [String], scratchPath: URL,
                        configuration: String = "release", environment: [String: String] = [:]) -> Command {
        var arguments = [toolchain.tool("swift").path, "build", "--package-path", package.path,
                         "--configuration", configuration,
                         "--swift-sdks-path", sdk.bundlesFolder.path, "--swift-sdk", sdk.name,
                         "--scratch-path", scratchPath.path]
        for product in products { arguments += ["--product", product] }
        return Command(arguments, environment: environment)
    }

    /// Where SwiftPM puts `product` built by `command`.
    package func binary(_ product: String, scratchPath: URL, configuration: String = "release") -> URL {
        scratchPath.appendingPathComponent("\(sdk.sysroot.architecture.swiftTriple)/\(configuration)/\(product)")
    }

    /// The variable that makes driverdom's Package.swift declare only the named
    /// device executables and what they depend on (see its "Device programs only").
    package static let deviceProductsVariable = "DRIVERDOM_DEVICE_PRODUCTS"

    /// The scratch folder for building the set `programs` together:
    /// `<cache>/swiftpm/<arch>-<sdk key prefix>-<set digest prefix>`. Each set has
    /// its own, because its package (and so its build graph) is a different one.
    package func scratchPath(in cache: URL, programs: [String]) -> URL {
        let set = FileDigest.sha256(Data(programs.sorted().joined(separator: " ").utf8))
        let base = scratchPath(in: cache)
        return base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + "-" + set.prefix(12))
    }

    /// The one `swift build` that builds every program of `programs` from driverdom's
    /// own package (no `--product`: the variable narrows the package to them).
    package func programsCommand(package: URL, programs: [String], scratchPath: URL,
                                 configuration: String = "release") -> Command {
        command(package: package, products: [], scratchPath: scratchPath, configuration: configuration,
                environment: [Self.deviceProductsVariable: programs.sorted().joined(separator: " ")])
    }

    /// Builds every program of `programs` in one SwiftPM build graph (each shared
    /// module compiled once, SwiftPM running independent compiles side by side) and
    /// returns each one's unstripped binary by name.
    package func buildPrograms(package: URL, programs: [String], scratchPath: URL,
                               configuration: String = "release") throws -> [String: URL] {
        do {
            _ = try runner.run(programsCommand(package: package, programs: programs, scratchPath: scratchPath,
                                               configuration: configuration))
        } catch let DebianPackagesError.commandFailed(_, _, output) {
            throw CrossToolchainError.buildFailed(products: programs.sorted(), triple: sdk.sysroot.architecture.swiftTriple,
                                                  output: output)
        }
        var binaries: [String: URL] = [:]
        for program in programs {
            binaries[program] = binary(program, scratchPath: scratchPath, configuration: configuration)
        }
        return binaries
    }

    /// Builds one product and returns the unstripped binary.
    package func build(package: URL, product: String, scratchPath: URL,
                      configuration: String = "release", environment: [String: String] = [:]) throws -> URL {
        do {
            _ = try runner.run(command(package: package, products: [product], scratchPath: scratchPath,
                                       configuration: configuration, environment: environment))
        } catch let DebianPackagesError.commandFailed(_, _, output) {
            throw CrossToolchainError.buildFailed(products: [product], triple: sdk.sysroot.architecture.swiftTriple,
                                                  output: output)
        }
        return binary(product, scratchPath: scratchPath, configuration: configuration)
    }

    /// `llvm-objcopy --strip-all` of `binary` into `output` (the toolchain has no llvm-strip),
    /// then the build-path-dependent bytes zeroed (see `BuildPathScrubber`), so the
    /// result is the same whichever folder the cache is in.
    package func strip(_ binary: URL, to output: URL) throws {
        do {
            _ = try runner.run(Command([toolchain.tool("llvm-objcopy").path, "--strip-all", binary.path, output.path]))
        } catch {
            throw CrossToolchainError.stripFailed(binary: binary.path, output: "\(error)")
        }
        if FileManager.default.fileExists(atPath: output.path) {
            try BuildPathScrubber.scrub(output)
        }
    }
}
