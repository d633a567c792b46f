// SPDX-License-Identifier: Apache-2.0
import DebianPackages
import Foundation
import Licensing

/// Reads ``PackageLicense`` facts and copyright files from the verified .deb
/// files of a lock (see ``DebFacts``); never downloads.
struct PackageLicenseReader {
    let lock: PackageLock
    /// Package name → verified .deb (absent for packages not in the cache).
    let files: [String: URL]
    let facts: DebFacts

    /// The facts of `package`; throws when its .deb is not in `files`.
    func license(of package: LockedPackage) throws -> PackageLicense {
        guard let deb = files[package.name] else {
            throw BuildError.stepFailed(step: "licenses", reason: "\(package.name) \(package.version) is not in the package cache")
        }
        let control = try facts.control(package, deb: deb)
        let (source, sourceVersion) = Self.source(of: control, package: package)
        var result = PackageLicense(name: package.name, version: package.version, architecture: package.architecture,
                                    filename: package.filename, sha256: package.sha256, source: source,
                                    sourceVersion: sourceVersion, declared: nil, noAssertionReason: nil, references: [],
                                    copyrightPackage: nil)
        guard let (owner, text) = try copyright(of: package, deb: deb) else {
            result.noAssertionReason = "\(package.name) \(package.version) ships no /usr/share/doc/\(package.name)/copyright"
            return result
        }
        result.copyrightPackage = owner.name
        let file = "/usr/share/doc/\(owner.name)/copyright of \(owner.name) \(owner.version)"
        switch DebianCopyright.declaredLicense(of: text.text, scope: source, file: file) {
        case let .expression(expression, references):
            result.declared = expression.description
            result.references = references
        case let .noAssertion(reason):
            result.noAssertionReason = reason
        }
        return result
    }

    /// The package that ships the copyright file applying to `package`, and the file's bytes.
    func copyright(of package: LockedPackage) throws -> (LockedPackage, Data)? {
        guard let deb = files[package.name] else { return nil }
        return try copyright(of: package, deb: deb)
    }

    private func copyright(of package: LockedPackage, deb: URL) throws -> (LockedPackage, Data)? {
        let folder = "/usr/share/doc/\(package.name)"
        let entries = PackageContents.entries(inListing: try facts.listing(package, deb: deb))
        if let link = entries.first(where: { $0.path == folder && $0.target != nil }), let target = link.target {
            let name = URL(fileURLWithPath: target).lastPathComponent
            let candidates = lock.packages.filter { $0.name == name } + lock.packages.filter { $0.name != name }
            for candidate in candidates {
                guard let candidateDeb = files[candidate.name] else { continue }
                let path = "/usr/share/doc/\(name)/copyright"
                let shipped = PackageContents.entries(inListing: try facts.listing(candidate, deb: candidateDeb))
                guard shipped.contains(where: { $0.path == path && $0.target == nil }) else { continue }
                return try facts.member("." + path, of: candidate, deb: candidateDeb).map { (candidate, $0) }
            }
            return nil
        }
        guard entries.contains(where: { $0.path == folder + "/copyright" && $0.target == nil }) else { return nil }
        return try facts.member("." + folder + "/copyright", of: package, deb: deb).map { (package, $0) }
    }

    /// `Source: name (version)` of a control paragraph, defaulting to the binary's own name and version.
    static func source(of control: ControlStanza, package: LockedPackage) -> (String, String) {
        guard let field = control["Source"]?.trimmingCharacters(in: .whitespaces), !field.isEmpty else {
            return (package.name, control["Version"] ?? package.version)
        }
        let parts = field.split(separator: " ", maxSplits: 1)
        let name = String(parts[0])
        if parts.count == 2 {
            let version = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            return (name, version)
        }
        return (name, control["Version"] ?? package.version)
    }
}
