// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DebianPackages
import Foundation

/// Which fetched Debian package ships which path, for the manifest's and the
/// SBOM's `package` fields and the license texts a rootfs carries. Built from
/// `dpkg-deb -c` of every locked package of the sets that put files into a
/// rootfs (read once per package, see ``DebFacts``).
///
/// A symlink is attributed to a package only when the package ships the same
/// link (same target): `/sbin/modprobe → ../bin/busybox` made by driverdom is
/// not kmod's `/sbin/modprobe → /bin/kmod`.
struct PackageContents {
    /// An owner: the locked package.
    typealias Owner = LockedPackage

    /// Absolute path (as installed) to the package that ships it and, for a symlink, its target.
    private(set) var owners: [String: (package: LockedPackage, target: String?)] = [:]

    /// The owner of `path` (a symlink to `symlinkTarget` when given), trying the
    /// usr-merged twin (`/lib/x` ↔ `/usr/lib/x`) too.
    func owner(of path: String, symlinkTarget: String? = nil) -> LockedPackage? {
        let twin = path.hasPrefix("/usr/") ? String(path.dropFirst(4)) : "/usr" + path
        for candidate in [path, twin] {
            guard let found = owners[candidate] else { continue }
            if let symlinkTarget, found.target != symlinkTarget { continue }
            if symlinkTarget == nil, found.target != nil { continue }
            return found.package
        }
        return nil
    }

    /// `(name, version)` of the owner, as the manifest records it.
    func nameAndVersion(of path: String, symlinkTarget: String? = nil) -> (name: String, version: String)? {
        owner(of: path, symlinkTarget: symlinkTarget).map { ($0.name, $0.version) }
    }

    /// Indexes every package of `fetched` in the sysroot and image sets.
    init(_ fetched: FetchedPackages, facts: DebFacts) throws {
        // Name order: when two packages ship a path, the first name wins, the same every time.
        // Only the sysroot's and the image's packages put files into a rootfs (not the
        // kernel sources built from, nor what only test sessions use).
        let rootfsSets: Set = [BasePackageSets.sysrootSetName, BasePackageSets.imageSetName]
        for package in fetched.lock.packages.sorted(by: { $0.name < $1.name })
        where package.sets.contains(where: rootfsSets.contains) {
            guard let deb = fetched.files[package.name] else { continue }
            for (path, target) in Self.entries(inListing: try facts.listing(package, deb: deb)) where owners[path] == nil {
                owners[path] = (package, target)
            }
        }
    }

    /// Indexes every package of `fetched`, listings cached under `cache`.
    init(_ fetched: FetchedPackages, cache: URL, tools: any ToolRunner) throws {
        try self.init(fetched, facts: DebFacts(cache: cache, tools: tools))
    }

    /// Paths of a `dpkg-deb -c` listing (`-rw-r--r-- root/root 10333 2026-11-16 10:17 ./usr/lib/x`),
    /// as absolute paths, symlink and hard-link targets and folders left out.
    static func paths(inListing listing: String) -> [String] {
        entries(inListing: listing).map(\.path)
    }

    /// Paths of a listing with the target of each symlink.
    static func entries(inListing listing: String) -> [(path: String, target: String?)] {
        listing.split(separator: "\n").compactMap { line -> (String, String?)? in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, !fields[0].hasPrefix("d") else { return nil }
            var path = String(fields[5])
            var target: String?
            if fields[0].hasPrefix("l"), let arrow = path.range(of: " -> ") {
                target = String(path[arrow.upperBound...])
                path = String(path[..<arrow.lowerBound])
            }
            if fields[0].hasPrefix("h"), let link = path.range(of: " link to ") { path = String(path[..<link.lowerBound]) }
            if path.hasPrefix("./") { path.removeFirst() }
            return path.hasPrefix("/") && path.count > 1 ? (path, target) : nil
        }
    }
}
