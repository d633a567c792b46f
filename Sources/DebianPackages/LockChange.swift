// SPDX-License-Identifier: Apache-2.0

/// How one package differs between a lock and a newer resolution of the same image,
/// printed like `apt list --upgradable`.
package enum LockChange: Equatable, Sendable, CustomStringConvertible {
    /// The archive now offers another version.
    case upgraded(name: String, from: String, to: String, architecture: String)
    /// The image's closure gained a package (a new dependency, or a new kernel ABI name).
    case added(name: String, version: String, architecture: String)
    /// The closure lost a package.
    case removed(name: String, version: String, architecture: String)
    /// The archive's indexes no longer list the package at all.
    case withdrawn(name: String, version: String, architecture: String)
    /// Same version, other bytes (the archive rebuilt it).
    case rebuilt(name: String, version: String, architecture: String)

    /// The package's name.
    package var name: String {
        switch self {
        case let .upgraded(name, _, _, _), let .added(name, _, _), let .removed(name, _, _), let .withdrawn(name, _, _),
             let .rebuilt(name, _, _): name
        }
    }

    package var description: String {
        switch self {
        case let .upgraded(name, from, to, architecture): "\(name) \(from) → \(to) [\(architecture)]"
        case let .added(name, version, architecture): "\(name) (new) \(version) [\(architecture)]"
        case let .removed(name, version, architecture): "\(name) \(version) (no longer needed) [\(architecture)]"
        case let .withdrawn(name, version, architecture): "\(name) \(version) (no longer in the archive) [\(architecture)]"
        case let .rebuilt(name, version, architecture): "\(name) \(version) (rebuilt: new SHA256) [\(architecture)]"
        }
    }
}

extension PackageLock {
    /// What changes, package by package, when `newer` replaces this lock; sorted by
    /// name; empty when both pin the same files.
    package func changes(to newer: PackageLock) -> [LockChange] {
        let old = Dictionary(packages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(newer.packages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [LockChange] = []
        for name in Set(old.keys).union(new.keys).sorted() {
            switch (old[name], new[name]) {
            case let (before?, after?) where before.version != after.version:
                result.append(.upgraded(name: name, from: before.version, to: after.version,
                                        architecture: after.architecture))
            case let (before?, after?) where before.sha256 != after.sha256:
                result.append(.rebuilt(name: name, version: after.version, architecture: after.architecture))
            case let (nil, after?):
                result.append(.added(name: name, version: after.version, architecture: after.architecture))
            case let (before?, nil):
                result.append(.removed(name: name, version: before.version, architecture: before.architecture))
            default:
                continue
            }
        }
        return result
    }
}
