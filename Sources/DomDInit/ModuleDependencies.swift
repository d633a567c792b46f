// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The kernel's `modules.dep` (and `modules.builtin`) as the init needs them to
/// load modules itself, in dependency order, without a modprobe program.
///
/// `modules.dep` lines read `kernel/drivers/x/a.ko: kernel/y/b.ko kernel/z/c.ko`,
/// each dependency listed before what needs it when loaded right to left. Names
/// compare as modprobe compares them: file name without `.ko[.xz|.zst|.gz]`,
/// `-` and `_` alike.
package struct ModuleDependencies: Equatable, Sendable {
    /// Module path (relative to /lib/modules/RELEASE) to the paths it needs.
    package private(set) var dependencies: [String: [String]] = [:]
    /// Normalised name to path.
    package private(set) var paths: [String: String] = [:]
    /// Normalised names of modules built into the kernel.
    package private(set) var builtin: Set<String> = []

    /// Parses the texts of modules.dep and modules.builtin.
    package init(modulesDep: String, modulesBuiltin: String = "") {
        for line in modulesDep.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let path = trimmed(String(line[line.startIndex..<colon]))
            if path.isEmpty { continue }
            let needs = line[line.index(after: colon)...].split(separator: " ").map { String($0) }
            dependencies[path] = needs
            paths[Self.normalizedName(ofPath: path)] = path
        }
        for line in modulesBuiltin.split(separator: "\n") {
            let path = trimmed(String(line))
            if !path.isEmpty { builtin.insert(Self.normalizedName(ofPath: path)) }
        }
    }

    /// `xen-evtchn`, `xen_evtchn` and `kernel/drivers/xen/xen-evtchn.ko.xz` all name `xen_evtchn`.
    package static func normalizedName(ofPath path: String) -> String {
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        for suffix in [".xz", ".zst", ".gz"] where name.hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        if name.hasSuffix(".ko") { name = name.dropLast(3) }
        var result = ""
        for character in name { result.append(character == "-" ? "_" : character) }
        return result
    }

    /// What loading module `name` takes.
    package enum Plan: Equatable, Sendable {
        /// Load these paths, in this order (dependencies first; the module last).
        case load([String])
        /// Built into the kernel: nothing to load.
        case builtin
        /// Neither in modules.dep nor built in.
        case unknown
    }

    /// The load plan of `name`: its dependencies depth-first (each once), then itself.
    package func plan(for name: String) -> Plan {
        let normalized = Self.normalizedName(ofPath: name)
        guard let path = paths[normalized] else { return builtin.contains(normalized) ? .builtin : .unknown }
        var order: [String] = []
        var visiting: Set<String> = []
        var done: Set<String> = []
        visit(path, &order, &visiting, &done)
        return .load(order)
    }

    private func visit(_ path: String, _ order: inout [String], _ visiting: inout Set<String>, _ done: inout Set<String>) {
        if done.contains(path) || visiting.contains(path) { return }  // a cycle in a hostile file must not recurse forever
        visiting.insert(path)
        for dependency in dependencies[path] ?? [] { visit(dependency, &order, &visiting, &done) }
        visiting.remove(path)
        done.insert(path)
        order.append(path)
    }
}
