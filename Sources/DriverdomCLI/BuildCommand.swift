// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import BuildEngine
import DriverdomBuild
import DriverdomConfig
import Foundation

/// `driverdom build IMAGE`: build an image's outputs through the cached step graph.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an image: target packages, backends, DomD and control rootfs, image files.",
        discussion: """
            Fetches the board architecture's Debian packages (locked in IMAGE's .lock file \
            next to it; made on the first build, refreshed only by `driverdom lock`), cross-compiles the init and each layer's backend with Embedded \
            Swift, stages each layer with its shared libraries and kernel modules, \
            assembles the DomD and control-domain rootfs and writes the image's outputs \
            into the output folder (default out/<image name>), replacing it atomically.

            Every step is cached by a hash of its inputs: a second build with no change \
            runs nothing, and an edit rebuilds only the steps it reaches. --layer NAME \
            also reruns that layer's compile and stage steps (and what depends on them) \
            even when they are cached.

            Exit status: 0 built, 2 configuration or usage error, 1 build failure, \
            130 interrupted.
            """
    )

    @Argument(help: "The image file, e.g. Images/qemu-virt-arm64.yaml.")
    var image: String

    @Option(name: .customLong("layer"), help: ArgumentHelp("Rebuild this layer's steps even when cached (repeatable).",
                                                           valueName: "name"))
    var layers: [String] = []

    @Option(help: ArgumentHelp("Target architecture: aarch64 or armv7 (must match the board).", valueName: "arch"))
    var arch: String?

    @Option(help: ArgumentHelp("Output folder (default out/<image name>).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Build cache (default $DRIVERDOM_CACHE or ~/.cache/driverdom).", valueName: "dir"))
    var cache: String?

    @Option(help: "Steps run at once.")
    var jobs: Int = 2

    @Flag(help: "Use only the lock file and the package cache; never reach the network.")
    var offline = false

    @Flag(exclusivity: .exclusive, help: "Progress output.")
    var progress: ProgressStyle = .human

    func validate() throws {
        if let arch, Architecture(rawValue: arch) == nil {
            throw ValidationError("--arch must be aarch64 or armv7, not '\(arch)'")
        }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let action = "build \(image)"
        let configuration = try Console.loadImage(image, for: "build")
        let request = BuildRequest(imagePath: image, forcedLayers: layers, architecture: arch.flatMap(Architecture.init),
                                   locations: BuildLocations(output: out, cache: cache), jobs: jobs,
                                   offline: offline, progress: progress)
        let builder = ImageBuilder(request: request)
        let cancellation = CancellationToken()
        let trap = InterruptTrap(cancelling: cancellation)
        defer { trap.uninstall() }
        let report: BuildReport
        do {
            let architecture = try builder.validate(configuration)
            report = try builder.build(configuration, architecture: architecture,
                                       reporter: ImageBuilder.reporter(for: progress), cancellation: cancellation)
        } catch let error as BuildError {
            throw CommandFailure(action: action, reason: error.description, isUserError: error.isUserError)
        } catch {
            throw CommandFailure(action: action, error: error)
        }
        switch report.result.status {
        case .succeeded:
            if progress == .human || progress == .verbose {
                if let sizes = report.sizeReport { Console.out(sizes) }
                Console.out("\(image): built into \(report.outputFolder.path)")
            }
        case .interrupted:
            Console.err("driverdom: build interrupted; the cache and \(report.outputFolder.path) are unchanged")
            Foundation.exit(130)
        case let .failed(step, error):
            if case let .stepRefusedInput(_, message) = error,
               let lines = LicensePolicyViolation.diagnosticLines(inStepMessage: message) {
                let prefix = Console.currentDirectory + "/"
                for line in lines { Console.err(line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : line) }
                throw CommandFailure(action: action, reason: "the license policy refuses \(lines.count) component"
                    + "\(lines.count == 1 ? "" : "s"); \(report.outputFolder.path) is unchanged", isUserError: true)
            }
            var refused = false
            if case .stepRefusedInput = error { refused = true }
            throw CommandFailure(action: action, reason: step.map { "step \($0) failed: \(error)" } ?? "\(error)",
                                 isUserError: refused)
        }
    }
}

extension ProgressStyle: EnumerableFlag {
    package static func help(for value: ProgressStyle) -> ArgumentHelp? {
        switch value {
        case .human: "One line per step (default)."
        case .quiet: "Print errors only."
        case .verbose: "Also print tool command lines, and their output on failure."
        case .json: "Print one JSON event per line on stdout (for CI)."
        }
    }
}
