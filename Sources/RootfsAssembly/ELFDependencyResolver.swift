// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A shared library (or the program interpreter) found in the sysroot.
package struct ResolvedLibrary: Sendable, Hashable {
    /// The `DT_NEEDED` name or interpreter path that asked for it.
    package var name: String
    /// Where the loader finds it (`/lib/aarch64-linux-gnu/libc.so.6`).
    package var loaderPath: String
    /// The real file after following symlinks (`/usr/lib/aarch64-linux-gnu/libc.so.6`).
    package var canonicalPath: String
    /// The file on the build host (`<sysroot><canonicalPath>`).
    package var hostPath: String
}

/// The closure of shared libraries some executables need.
package struct ELFDependencies: Sendable, Equatable {
    /// Libraries and interpreters, sorted by canonical path, each once.
    package var libraries: [ResolvedLibrary]
    /// Symlinks met on the way (needed in the rootfs so loader paths work), sorted.
    package var symlinks: [SysrootSymlink]

    /// Stages every library at its canonical path (0755) and every symlink met.
    package func stage(into tree: inout StagedTree, origin: String) throws(RootfsAssemblyError) {
        for link in symlinks {
            try tree.add(StagedEntry(path: link.path, kind: .symlink(target: link.target), permissions: 0o777, origin: origin))
        }
        for library in libraries {
            try tree.add(StagedEntry(path: library.canonicalPath, kind: .regularFile(.file(path: library.hostPath)),
                                     permissions: 0o755, origin: origin))
        }
    }
}

/// Finds the shared libraries of executables inside a target sysroot by
/// reading their ELF headers, transitively, the way `ld.so` searches:
/// `DT_RPATH` (when there is no `DT_RUNPATH`), `DT_RUNPATH`, the directories of
/// the sysroot's `/etc/ld.so.conf`, then `/lib/<triplet>`, `/usr/lib/<triplet>`,
/// `/lib`, `/usr/lib`. Candidates of another ELF class or machine are skipped,
/// as `ld.so` does.
package struct ELFDependencyResolver: Sendable {
    package let sysroot: String
    package let triplet: String?

    /// - Parameters:
    ///   - sysroot: folder holding the target's root filesystem (`lib/`, `usr/lib/`).
    ///   - triplet: multiarch triplet; nil derives it from each file's `e_machine`.
    package init(sysroot: String, triplet: String? = nil) {
        self.sysroot = sysroot.hasSuffix("/") && sysroot.count > 1 ? String(sysroot.dropLast()) : sysroot
        self.triplet = triplet
    }

    /// Debian multiarch triplet of an ELF machine and class (the Debian
    /// `dpkg-architecture` table for the architectures Xen runs on).
    package static func debianTriplet(machine: UInt16, elfClass: UInt8) -> String? {
        switch (machine, elfClass) {
        case (183, 2): return "aarch64-linux-gnu"
        case (40, 1): return "arm-linux-gnueabihf"
        case (62, 2): return "x86_64-linux-gnu"
        case (3, 1): return "i386-linux-gnu"
        case (243, 2): return "riscv64-linux-gnu"
        default: return nil
        }
    }

    /// Resolves all libraries needed by the ELF files at `hostPaths`
    /// (executables on the build host, e.g. cross-compiled backends).
    package func resolve(executables hostPaths: [String]) throws(RootfsAssemblyError) -> ELFDependencies {
        let paths = SysrootPathResolver(sysroot: sysroot)
        let configured = try ldSoConfDirectories(paths)
        var libraries: [String: ResolvedLibrary] = [:]
        var symlinks: Set<SysrootSymlink> = []
        var queue: [(hostPath: String, originDir: String)] = hostPaths.map { ($0, "") }
        var visited: Set<String> = []
        while !queue.isEmpty {
            let (hostPath, originDir) = queue.removeFirst()
            guard visited.insert(hostPath).inserted else { continue }
            let elf = try ELFFile(bytes: try FileContent.file(path: hostPath).readAll(), path: hostPath)
            if let interpreter = elf.interpreter {
                guard let found = try paths.resolve(interpreter) else {
                    throw .elfLibraryNotFound(library: interpreter, neededBy: hostPath, searched: [interpreter])
                }
                symlinks.formUnion(found.links)
                libraries[found.path] = ResolvedLibrary(name: interpreter, loaderPath: interpreter,
                                                        canonicalPath: found.path, hostPath: sysroot + found.path)
            }
            let directories = searchDirectories(for: elf, originDir: originDir, configured: configured)
            for name in elf.needed {
                let library = try find(name, in: directories, like: elf, neededBy: hostPath, paths: paths)
                symlinks.formUnion(library.links)
                if libraries[library.resolved.canonicalPath] == nil {
                    libraries[library.resolved.canonicalPath] = library.resolved
                }
                queue.append((library.resolved.hostPath, StagedTree.parentPath(library.resolved.loaderPath)))
            }
        }
        return ELFDependencies(
            libraries: libraries.values.sorted { StagedTree.pathPrecedes($0.canonicalPath, $1.canonicalPath) },
            symlinks: symlinks.sorted { StagedTree.pathPrecedes($0.path, $1.path) })
    }

    private func searchDirectories(for elf: ELFFile, originDir: String, configured: [String]) -> [String] {
        var directories: [String] = []
        let expand = { (entry: String) -> String in
            entry.replacingOccurrences(of: "${ORIGIN}", with: originDir)
                .replacingOccurrences(of: "$ORIGIN", with: originDir)
                .replacingOccurrences(of: "${LIB}", with: "lib")
                .replacingOccurrences(of: "$LIB", with: "lib")
        }
        if elf.runpath.isEmpty { directories += elf.rpath.map(expand) }
        directories += elf.runpath.map(expand)
        directories += configured
        if let triplet = triplet ?? Self.debianTriplet(machine: elf.machine, elfClass: elf.elfClass) {
            directories += ["/lib/\(triplet)", "/usr/lib/\(triplet)"]
        }
        directories += ["/lib", "/usr/lib"]
        var seen: Set<String> = []
        return directories.filter { $0.hasPrefix("/") && seen.insert($0).inserted }
    }

    private func find(_ name: String, in directories: [String], like parent: ELFFile, neededBy: String,
                      paths: SysrootPathResolver) throws(RootfsAssemblyError) -> (resolved: ResolvedLibrary, links: [SysrootSymlink]) {
        if name.contains("/") {
            throw .elfLibraryNotFound(library: name, neededBy: neededBy, searched: ["(DT_NEEDED with a slash is not searched)"])
        }
        for directory in directories {
            let loaderPath = (directory == "/" ? "" : directory) + "/" + name
            guard let found = try paths.resolve(loaderPath) else { continue }
            let hostPath = sysroot + found.path
            var info = stat()
            guard stat(hostPath, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            guard let candidate = try? ELFFile(bytes: try FileContent.file(path: hostPath).readAll(), path: hostPath),
                  candidate.machine == parent.machine, candidate.elfClass == parent.elfClass else { continue }
            return (ResolvedLibrary(name: name, loaderPath: loaderPath, canonicalPath: found.path, hostPath: hostPath), found.links)
        }
        throw .elfLibraryNotFound(library: name, neededBy: neededBy, searched: directories)
    }

    /// Directories listed in the sysroot's `/etc/ld.so.conf` and its `include`d files.
    private func ldSoConfDirectories(_ paths: SysrootPathResolver) throws(RootfsAssemblyError) -> [String] {
        var result: [String] = []
        var files = ["/etc/ld.so.conf"]
        var seen: Set<String> = []
        while !files.isEmpty {
            let file = files.removeFirst()
            guard seen.insert(file).inserted, let found = try paths.resolve(file),
                  let text = try? String(contentsOfFile: sysroot + found.path, encoding: .utf8) else { continue }
            for rawLine in text.split(separator: "\n") {
                let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("include") {
                    let pattern = line.dropFirst("include".count).trimmingCharacters(in: .whitespaces)
                    files += try expandGlob(pattern, paths: paths)
                } else if line.hasPrefix("/") {
                    result.append(line)
                }
            }
        }
        return result
    }

    /// Expands a `dir/*.conf` style include (only a `*` in the last component).
    private func expandGlob(_ pattern: String, paths: SysrootPathResolver) throws(RootfsAssemblyError) -> [String] {
        let directory = StagedTree.parentPath(pattern)
        let namePattern = String(pattern.dropFirst(directory == "/" ? 1 : directory.count + 1))
        guard let star = namePattern.firstIndex(of: "*") else { return [pattern] }
        let prefix = namePattern[..<star]
        let suffix = namePattern[namePattern.index(after: star)...]
        guard let found = try paths.resolve(directory),
              let names = try? FileManager.default.contentsOfDirectory(atPath: sysroot + found.path) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted().map { directory + "/" + $0 }
    }
}
