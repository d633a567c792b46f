// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The package's targets and their declared dependencies, read once from
/// `swift package dump-package` JSON, used to find which Swift and C modules an
/// executable is built from (its module closure).
package struct ModuleGraph: Sendable, Equatable {
    /// One target of Package.swift.
    package struct Target: Sendable, Equatable {
        /// Target name (also its module name).
        package var name: String
        /// `executable`, `regular`, `test`, `system`, ...
        package var type: String
        /// Source folder relative to the package root.
        package var path: String
        /// Names of local targets it depends on.
        package var localDependencies: [String]
        /// External products it depends on, as `package/product`.
        package var externalDependencies: [String]
        /// The target's declaration (settings included) as canonical JSON, hashed
        /// into compile keys so a changed flag or linked library invalidates them.
        package var declaration: String

        /// Creates a target description.
        package init(name: String, type: String, path: String, localDependencies: [String],
                    externalDependencies: [String] = [], declaration: String = "") {
            self.name = name
            self.type = type
            self.path = path
            self.localDependencies = localDependencies
            self.externalDependencies = externalDependencies
            self.declaration = declaration.isEmpty ? "\(name):\(type):\(path)" : declaration
        }
    }

    /// Targets by name.
    package private(set) var targets: [String: Target]

    /// Creates a graph from already-known targets (tests and declared tables).
    package init(targets: [Target]) {
        self.targets = Dictionary(targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads the JSON printed by `swift package dump-package`.
    package init(dumpPackageJSON data: Data) throws(BuildError) {
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw BuildError.readPackageManifestFailed(reason: "top level is not an object")
            }
            root = object
        } catch let error as BuildError {
            throw error
        } catch {
            throw .readPackageManifestFailed(reason: "\(error)")
        }
        guard let list = root["targets"] as? [[String: Any]] else {
            throw .readPackageManifestFailed(reason: "no 'targets' array")
        }
        let localNames = Set(list.compactMap { $0["name"] as? String })
        var targets: [Target] = []
        for entry in list {
            guard let name = entry["name"] as? String, let type = entry["type"] as? String else {
                throw .readPackageManifestFailed(reason: "a target has no name or type")
            }
            var local: [String] = []
            var external: [String] = []
            for dependency in entry["dependencies"] as? [[String: Any]] ?? [] {
                if let byName = dependency["byName"] as? [Any], let dep = byName.first as? String {
                    if localNames.contains(dep) { local.append(dep) } else { external.append(dep) }
                } else if let target = dependency["target"] as? [Any], let dep = target.first as? String {
                    guard localNames.contains(dep) else {
                        throw .resolveTargetDependencyFailed(target: name, dependency: dep)
                    }
                    local.append(dep)
                } else if let product = dependency["product"] as? [Any], let dep = product.first as? String {
                    let package = product.count > 1 ? (product[1] as? String ?? "") : ""
                    external.append("\(package)/\(dep)")
                }
            }
            let defaultFolder = type == "test" ? "Tests" : "Sources"
            let path = entry["path"] as? String ?? "\(defaultFolder)/\(name)"
            let declaration = (try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]))
                .flatMap { String(data: $0, encoding: .utf8) } ?? name
            targets.append(Target(name: name, type: type, path: path, localDependencies: local,
                                  externalDependencies: external, declaration: declaration))
        }
        self.init(targets: targets)
    }

    /// The local targets `name` is built from, itself included, sorted by name.
    package func closure(of name: String) throws(BuildError) -> [Target] {
        guard targets[name] != nil else {
            throw .findExecutableTargetFailed(name: name, layer: nil)
        }
        var seen: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            guard let target = targets[next] else {
                throw .resolveTargetDependencyFailed(target: name, dependency: next)
            }
            pending.append(contentsOf: target.localDependencies)
        }
        return seen.sorted().compactMap { targets[$0] }
    }
}
