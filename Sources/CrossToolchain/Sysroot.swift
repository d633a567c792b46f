// SPDX-License-Identifier: Apache-2.0
import DebianPackages
import Foundation

/// A Debian glibc sysroot for one architecture in the build cache,
/// `<cache>/sysroot/<arch>-<key prefix>`, made from exactly the packages its key names.
package struct Sysroot: Equatable, Sendable {
    package var architecture: TargetArchitecture
    /// Folder holding `usr/include`, `usr/lib/<multiarch>`, `lib/...`.
    package var path: URL
    /// SHA256 over the layout version, architecture and each package's name, version and SHA256.
    package var key: String
}

/// Assembles sysroots: `dpkg-deb -x` of each package into a temporary folder,
/// absolute symlinks made relative, the `lib/<multiarch>` files also linked from
/// `usr/lib/<multiarch>` (merged-/usr view; qemu needs it for armhf), then one
/// rename into place — an interrupted build never leaves a half sysroot behind.
package struct SysrootBuilder: Sendable {
    /// Bumped whenever the assembly steps change, so old sysroots are not reused.
    package static let layoutVersion = 1
    /// The build cache folder.
    package let cache: URL
    private let runner: any CommandRunning

    package init(cache: URL, runner: any CommandRunning = ProcessCommandRunner()) {
        self.cache = cache
        self.runner = runner
    }

    /// The key of the sysroot made from `packages`.
    package static func key(architecture: TargetArchitecture, packages: [LockedPackage]) -> String {
        let lines = packages.sorted { $0.name < $1.name }.map { "\($0.name) \($0.version) \($0.sha256)" }
        let text = (["sysroot layout \(layoutVersion)", "architecture \(architecture.debian)"] + lines)
            .joined(separator: "\n")
        return FileDigest.sha256(Data(text.utf8))
    }

    /// The sysroot of package set `set` (default `sysroot`) of fetched packages.
    package func build(_ architecture: TargetArchitecture, from fetched: FetchedPackages,
                      set: String = "sysroot") throws -> Sysroot {
        let packages = fetched.lock.packages(inSet: set)
        let missing = packages.filter { fetched.files[$0.name] == nil }.map(\.name)
        guard !packages.isEmpty, missing.isEmpty else {
            throw CrossToolchainError.sysrootPackagesMissing(set: set, missing: packages.isEmpty ? ["(all)"] : missing)
        }
        return try build(architecture, packages: packages.map { ($0, fetched.files[$0.name]!) })
    }

    /// The sysroot made from `packages` (each with its verified .deb); reused if present.
    package func build(_ architecture: TargetArchitecture,
                      packages: [(package: LockedPackage, deb: URL)]) throws -> Sysroot {
        let key = Self.key(architecture: architecture, packages: packages.map(\.package))
        let root = cache.appendingPathComponent("sysroot")
        let final = root.appendingPathComponent("\(architecture.debian)-\(key.prefix(16))", isDirectory: true)
        let sysroot = Sysroot(architecture: architecture, path: final, key: key)
        let fm = FileManager.default
        if fm.fileExists(atPath: final.path) { return sysroot }

        let prefix = ".tmp-\(architecture.debian)-\(key.prefix(16))-"
        AbandonedFiles.remove(in: root, prefix: prefix)
        let temporary = root.appendingPathComponent(prefix + "\(getpid())")
        try? fm.removeItem(at: temporary)
        do { try fm.createDirectory(at: temporary, withIntermediateDirectories: true) } catch {
            throw CrossToolchainError.writeFailed(path: temporary.path, reason: "\(error)")
        }
        defer { try? fm.removeItem(at: temporary) }
        for (_, deb) in packages.sorted(by: { $0.package.name < $1.package.name }) {
            do { _ = try runner.run(Command(["dpkg-deb", "-x", deb.path, temporary.path])) } catch {
                throw CrossToolchainError.extractFailed(deb: deb.path, output: "\(error)")
            }
        }
        try Self.relativizeSymlinks(in: temporary)
        try Self.linkMergedUsr(in: temporary, multiarch: architecture.multiarch)
        if rename(temporary.path, final.path) != 0 {
            // Another build finished the same sysroot first: keep theirs.
            guard fm.fileExists(atPath: final.path) else {
                throw CrossToolchainError.writeFailed(path: final.path, reason: String(cString: strerror(errno)))
            }
        }
        return sysroot
    }

    /// Rewrites every symlink below `root` whose target is absolute into one relative
    /// to the link's folder, so it points inside the sysroot instead of at the host.
    static func relativizeSymlinks(in root: URL) throws {
        let fm = FileManager.default
        let rootPath = root.standardizedFileURL.path
        guard let walker = fm.enumerator(atPath: rootPath) else { return }
        while let relative = walker.nextObject() as? String {
            let link = rootPath + "/" + relative
            guard let target = try? fm.destinationOfSymbolicLink(atPath: link), target.hasPrefix("/") else { continue }
            let depth = relative.split(separator: "/").count - 1
            let replacement = String(repeating: "../", count: depth) + target.drop { $0 == "/" }
            do {
                try fm.removeItem(atPath: link)
                try fm.createSymbolicLink(atPath: link, withDestinationPath: replacement)
            } catch {
                throw CrossToolchainError.writeFailed(path: link, reason: "\(error)")
            }
        }
    }

    /// Links each entry of `lib/<multiarch>` from `usr/lib/<multiarch>` where that name is free.
    static func linkMergedUsr(in root: URL, multiarch: String) throws {
        let fm = FileManager.default
        let lib = root.appendingPathComponent("lib/\(multiarch)")
        let usrLib = root.appendingPathComponent("usr/lib/\(multiarch)")
        guard let names = try? fm.contentsOfDirectory(atPath: lib.path) else { return }
        do {
            try fm.createDirectory(at: usrLib, withIntermediateDirectories: true)
            for name in names.sorted() {
                let link = usrLib.appendingPathComponent(name)
                if (try? fm.attributesOfItem(atPath: link.path)) != nil { continue }
                try fm.createSymbolicLink(atPath: link.path, withDestinationPath: "../../../lib/\(multiarch)/\(name)")
            }
        } catch {
            throw CrossToolchainError.writeFailed(path: usrLib.path, reason: "\(error)")
        }
    }
}
