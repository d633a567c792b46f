// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The modules of one unpacked kernel (`lib/modules/VERSION` with a modules.dep
/// made by `depmod -b`), and the closure of the modules a layer declares.
package struct KernelModules: Sendable, Equatable {
    /// Kernel release (`6.1.0-28-arm64`).
    package var version: String
    /// Module path (relative to lib/modules/VERSION) to the paths it depends on.
    package var dependencies: [String: [String]]
    /// Normalised names of modules built into the kernel (modules.builtin).
    package var builtin: Set<String>
    /// Normalised name to its modules.builtin line.
    package var builtinLines: [String: String] = [:]

    /// Creates the table from modules.dep and modules.builtin texts.
    package init(version: String, modulesDep: String, modulesBuiltin: String = "") {
        self.version = version
        var dependencies: [String: [String]] = [:]
        for line in modulesDep.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let module = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let needs = line[line.index(after: colon)...].split(separator: " ").map(String.init)
            dependencies[module] = needs
        }
        self.dependencies = dependencies
        self.builtin = Set(modulesBuiltin.split(separator: "\n").map { Self.normalizedName(ofPath: String($0)) })
        for line in modulesBuiltin.split(separator: "\n") { builtinLines[Self.normalizedName(ofPath: String(line))] = String(line) }
    }

    /// modules.builtin lines of those of `names` built into the kernel, sorted.
    package func builtinPaths(for names: [String]) -> [String] {
        Set(names.compactMap { builtinLines[Self.normalizedName(ofPath: $0)] }).sorted()
    }

    /// Reads `root/lib/modules/VERSION/modules.dep` (and modules.builtin) of an unpacked kernel.
    package init(kernelRoot root: URL) throws(BuildError) {
        let modulesFolder = root.appendingPathComponent("lib/modules")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: modulesFolder.path)) ?? []).sorted()
        guard versions.count == 1, let version = versions.first else {
            throw .resolveKernelModulesFailed(modules: [], reason: "expected one kernel under \(modulesFolder.path), found \(versions)")
        }
        let folder = modulesFolder.appendingPathComponent(version)
        guard let dep = try? String(contentsOf: folder.appendingPathComponent("modules.dep"), encoding: .utf8) else {
            throw .resolveKernelModulesFailed(modules: [], reason: "\(folder.path)/modules.dep is missing; run depmod -b")
        }
        let builtin = (try? String(contentsOf: folder.appendingPathComponent("modules.builtin"), encoding: .utf8)) ?? ""
        self.init(version: version, modulesDep: dep, modulesBuiltin: builtin)
    }

    /// `xen-evtchn`, `xen_evtchn` and `kernel/.../xen-evtchn.ko.xz` all name module `xen_evtchn`.
    package static func normalizedName(ofPath path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".xz", ".zst", ".gz"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        if name.hasSuffix(".ko") { name.removeLast(3) }
        return name.replacingOccurrences(of: "-", with: "_")
    }

    /// Module paths needed to load `names` (each name and what it depends on),
    /// sorted; names built into the kernel need nothing.
    package func closure(of names: [String]) throws(BuildError) -> [String] {
        var byName: [String: String] = [:]
        for path in dependencies.keys { byName[Self.normalizedName(ofPath: path)] = path }
        var missing: [String] = []
        var result: Set<String> = []
        var pending: [String] = []
        for name in names {
            let normalized = Self.normalizedName(ofPath: name)
            if let path = byName[normalized] {
                pending.append(path)
            } else if !builtin.contains(normalized) {
                missing.append(name)
            }
        }
        guard missing.isEmpty else {
            throw .resolveKernelModulesFailed(modules: missing, reason: "not in modules.dep or modules.builtin of kernel \(version)")
        }
        while let path = pending.popLast() {
            guard result.insert(path).inserted else { continue }
            pending.append(contentsOf: dependencies[path] ?? [])
        }
        return result.sorted()
    }

    /// modules.dep text for just `paths` (a closure), in path order.
    package func modulesDep(for paths: [String]) -> String {
        paths.sorted().map { path in
            let needs = dependencies[path] ?? []
            return needs.isEmpty ? "\(path):\n" : "\(path): \(needs.joined(separator: " "))\n"
        }.joined()
    }
}
