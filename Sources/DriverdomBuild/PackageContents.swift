// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DebianPackages
import Foundation

/// Which fetched Debian package ships which path, for the manifest's `package`
/// and `version` fields. Built from `dpkg-deb -c` of every locked package; each
/// listing is kept in the cache by the package's SHA256, so it is read once.
struct PackageContents {
    /// Absolute path (as installed) to package name and version.
    private(set) var owners: [String: (name: String, version: String)] = [:]

    /// The owner of `path`, trying the usr-merged twin (`/lib/x` ↔ `/usr/lib/x`) too.
    func owner(of path: String) -> (name: String, version: String)? {
        if let owner = owners[path] { return owner }
        if path.hasPrefix("/usr/") { return owners[String(path.dropFirst(4))] }
        return owners["/usr" + path]
    }

    /// Indexes every package of `fetched`, listings cached under `cache`.
    init(_ fetched: FetchedPackages, cache: URL, tools: any ToolRunner) throws {
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        // Name order: when two packages ship a path, the first name wins, the same every time.
        // Only the sysroot's and the image's packages put files into a rootfs (not the
        // kernel sources built from, nor what only test sessions use).
        let rootfsSets: Set = [BasePackageSets.sysrootSetName, BasePackageSets.imageSetName]
        for package in fetched.lock.packages.sorted(by: { $0.name < $1.name })
        where package.sets.contains(where: rootfsSets.contains) {
            guard let deb = fetched.files[package.name] else { continue }
            let listingFile = cache.appendingPathComponent(package.sha256 + ".txt")
            var listing = try? String(contentsOf: listingFile, encoding: .utf8)
            if listing == nil {
                let result = try tools.run(ToolCommand("dpkg-deb", ["-c", deb.path]))
                let text = String(decoding: result.standardOutput, as: UTF8.self)
                let temporary = cache.appendingPathComponent(".tmp-\(UUID().uuidString)")
                try StepActions.write(text, to: temporary)
                _ = try? FileManager.default.replaceItemAt(listingFile, withItemAt: temporary)
                listing = text
            }
            for path in Self.paths(inListing: listing ?? "") where owners[path] == nil {
                owners[path] = (package.name, package.version)
            }
        }
    }

    /// Paths of a `dpkg-deb -c` listing (`-rw-r--r-- root/root 10333 2026-11-16 10:17 ./usr/lib/x`),
    /// as absolute paths, symlink and hard-link targets and folders left out.
    static func paths(inListing listing: String) -> [String] {
        listing.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, !fields[0].hasPrefix("d") else { return nil }
            var path = String(fields[5])
            if fields[0].hasPrefix("l"), let arrow = path.range(of: " -> ") { path = String(path[..<arrow.lowerBound]) }
            if fields[0].hasPrefix("h"), let link = path.range(of: " link to ") { path = String(path[..<link.lowerBound]) }
            if path.hasPrefix("./") { path.removeFirst() }
            return path.hasPrefix("/") && path.count > 1 ? path : nil
        }
    }
}
