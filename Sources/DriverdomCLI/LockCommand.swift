// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DriverdomBuild
import DriverdomConfig
import Foundation

/// `driverdom lock IMAGE… | --all [--check]`: refresh image locks from today's archive.
struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Resolve images' Debian packages again and rewrite their lock files.",
        discussion: """
            A lock (IMAGE.lock next to IMAGE.yaml) pins every target package by version, \
            pool path and SHA256. Builds follow it even after the archive moved on: a \
            version the index dropped is fetched by its pool path, from Debian's snapshot \
            archive, or from an extra mirror, and admitted only with the locked hash. \
            Refreshing is this command's job alone, never a side effect of building.

            For each image: runs `apt-get update` in the cache's private apt, resolves the \
            package sets, prints what changed, one package a line:
              linux-headers-arm64 6.1.192-2 → 6.1.192-3 [arm64]
            and rewrites the lock (a lock whose packages did not change is left untouched). \
            --check prints the same and writes nothing.

            Exit status: 0 done (with --check: every lock is current), 1 with --check when \
            a lock is behind the archive, or when the archive could not be read, 2 \
            configuration or usage error.
            """
    )

    @Argument(help: "Image files, e.g. Images/qemu-virt-arm64.yaml.")
    var images: [String] = []

    @Flag(help: "Every image of the repository (Images/*.yaml).")
    var all = false

    @Flag(help: "Only report; exit 1 when a lock is behind the archive.")
    var check = false

    @Option(help: ArgumentHelp("Build cache (default $DRIVERDOM_CACHE or ~/.cache/driverdom).", valueName: "dir"))
    var cache: String?

    func validate() throws {
        if all && !images.isEmpty { throw ValidationError("give image files or --all, not both") }
        if !all && images.isEmpty { throw ValidationError("name at least one image file, or --all") }
    }

    func run() throws {
        let paths = all ? try Console.repository(nil, for: "lock --all").imagePaths() : images
        let locations = BuildLocations(output: nil, cache: cache)
        var behind: [String] = []
        for path in paths {
            let shown = Console.relative(path)
            let configuration = try Console.loadImage(path, for: "lock")
            let refresh: LockRefresh
            do {
                refresh = try LockRefresh.run(configuration, cache: locations.packageCache, checkOnly: check)
            } catch {
                throw CommandFailure(action: "lock \(shown)", reason: error.description, isUserError: error.isUserError)
            }
            let lockName = Console.relative(refresh.lockFile.path)
            if !refresh.isBehind {
                Console.out("\(lockName): up to date")
                continue
            }
            behind.append(lockName)
            let verb = refresh.written ? (refresh.existed ? "refreshed" : "created") : "behind the archive"
            var summary = "\(lockName): \(verb), \(refresh.changes.count) package change\(refresh.changes.count == 1 ? "" : "s")"
            if refresh.setsChanged { summary += " (the image's package sets changed)" }
            Console.out(summary)
            for change in refresh.changes { Console.out("  \(change)") }
        }
        if check && !behind.isEmpty {
            Console.err("driverdom: \(behind.count) lock(s) behind the archive; refresh with `driverdom lock "
                + (all ? "--all" : paths.map(Console.relative).joined(separator: " ")) + "`")
            throw ExitCode(1)
        }
    }
}
