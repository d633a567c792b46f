// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Where a build reads and writes: the output folder and the build cache,
/// from the command line, the environment, or the defaults.
///
/// Defaults: outputs in `out/IMAGE` under the current folder; the cache in
/// `$DRIVERDOM_CACHE`, else `$XDG_CACHE_HOME/driverdom`, else `~/.cache/driverdom`
/// (shared by every checkout, so the package cache stays warm across clones).
package struct BuildLocations: Sendable, Equatable {
    /// Root of the outputs (`out/`); each image writes `outputRoot/IMAGE`, unless `--out` names the folder.
    package var outputRoot: URL
    /// `--out` as given, which names the image's output folder itself.
    package var explicitOutput: URL?
    /// Build cache root.
    package var cache: URL

    /// Resolves the locations from options and `environment`.
    package init(output: String?, cache: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                currentFolder: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        outputRoot = currentFolder.appendingPathComponent("out")
        explicitOutput = output.map { URL(fileURLWithPath: $0, relativeTo: currentFolder).standardizedFileURL }
        if let cache {
            self.cache = URL(fileURLWithPath: cache, relativeTo: currentFolder).standardizedFileURL
        } else if let fromEnvironment = environment["DRIVERDOM_CACHE"], !fromEnvironment.isEmpty {
            self.cache = URL(fileURLWithPath: fromEnvironment, relativeTo: currentFolder).standardizedFileURL
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            self.cache = URL(fileURLWithPath: xdg).appendingPathComponent("driverdom")
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            self.cache = URL(fileURLWithPath: home).appendingPathComponent(".cache/driverdom")
        }
    }

    /// The output folder of image `name`.
    package func outputFolder(image name: String) -> URL {
        explicitOutput ?? outputRoot.appendingPathComponent(name)
    }

    /// Cache of steps' outputs (cleared by `driverdom clean --cache`).
    package var stepCache: URL { cache.appendingPathComponent("steps") }
    /// Cache of downloaded packages and private apt state.
    package var packageCache: URL { cache.appendingPathComponent("packages") }
    /// Small planning-time files (remembered dump-package output).
    package var planningCache: URL { cache.appendingPathComponent("planning") }

    /// SwiftPM scratch entries kept by ``removeCompiledState()``: the package
    /// dependencies SwiftPM downloaded (sources, like the package cache).
    package static let keptScratchEntries: Set<String> = ["checkouts", "repositories", "artifacts", "workspace-state.json"]

    /// Removes the step cache, the planning cache and what the cross compiler
    /// built (SwiftPM's build folders), so the next build compiles and assembles
    /// everything; downloaded packages, sysroots and SwiftPM's checkouts stay.
    package func removeCompiledState() throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(at: planningCache)
        let scratch = packageCache.appendingPathComponent("swiftpm")
        for folder in (try? fileManager.contentsOfDirectory(atPath: scratch.path)) ?? [] {
            let path = scratch.appendingPathComponent(folder)
            for entry in try fileManager.contentsOfDirectory(atPath: path.path)
            where !Self.keptScratchEntries.contains(entry) {
                try fileManager.removeItem(at: path.appendingPathComponent(entry))
            }
        }
    }
}
