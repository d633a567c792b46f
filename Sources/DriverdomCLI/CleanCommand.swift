// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import BuildEngine
import DriverdomBuild
import Foundation

/// `driverdom clean`: remove build outputs, and with --cache the build cache.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove the output folder, and with --cache the step cache.",
        discussion: """
            Removes out/ (or --out DIR). With --cache also the step cache, the remembered \
            planning data and the cross compiler's build folders, so the next build \
            compiles and assembles everything again; downloaded packages, sysroots, Swift \
            SDKs and SwiftPM's dependency checkouts are kept (they are keyed by the lock \
            and Package.resolved). With --all also those.
            Refuses while a build is using the cache.
            """
    )

    @Flag(help: "Also remove the step cache (keeps downloaded packages).")
    var cache = false

    @Flag(help: "Also remove downloaded packages, sysroots and Swift SDKs (implies --cache).")
    var all = false

    @Option(help: ArgumentHelp("Output folder to remove (default out/).", valueName: "dir"))
    var out: String?

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Build cache (default $DRIVERDOM_CACHE or ~/.cache/driverdom).",
                                                                valueName: "dir"))
    var cacheDirectory: String?

    func run() throws {
        let locations = BuildLocations(output: out, cache: cacheDirectory)
        let output = (locations.explicitOutput ?? locations.outputRoot).path
        do {
            try BuildEngine.clean(outputDirectory: output, cacheDirectory: locations.stepCache.path,
                                  includingCache: cache || all)
            if cache || all { try locations.removeCompiledState() }
            if all { try? FileManager.default.removeItem(at: locations.packageCache) }
        } catch {
            throw CommandFailure(action: "clean", error: error)
        }
        Console.out("removed \(output)" + (cache || all ? " and the step cache in \(locations.cache.path)" : "")
                    + (all ? " (packages too)" : ""))
    }
}
