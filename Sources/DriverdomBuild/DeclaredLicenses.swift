// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DebianPackages
import DriverdomConfig
import Foundation

/// The license view `driverdom check` and `driverdom licenses` can have without
/// building: the packages the image names (the base image packages and every
/// layer's `packages:`, not what they depend on) and the layers' backends (the
/// license their layer.yaml states), with facts read from the package cache.
///
/// It never downloads: a package whose verified .deb is not in the cache, or an
/// image without a lock file, is reported as a note and left unchecked (the build
/// checks everything its rootfs carry, see `LicenseActions`).
package struct DeclaredLicenses {
    /// The components whose facts could be read.
    package var components: [LicensedComponent]
    /// What could not be checked, and why.
    package var notes: [String]

    /// Reads the facts of `configuration`'s named packages from the package cache `packageCache`.
    package init(_ configuration: Configuration, packageCache: URL, tools: any ToolRunner) {
        var components: [LicensedComponent] = []
        var notes: [String] = []
        for layer in configuration.layers {
            components.append(LicensedComponent(kind: .driverdom, name: layer.executable, version: "layer \(layer.name)",
                                                declared: layer.license, noAssertionReason: nil))
        }
        let lockFile = URL(fileURLWithPath: configuration.image.path).deletingPathExtension().appendingPathExtension("lock")
        let lock: PackageLock
        do {
            lock = try PackageLock.read(from: lockFile)
        } catch {
            notes.append("package licenses not checked: no readable lock file \(lockFile.path) (driverdom build writes it)")
            self.components = components
            self.notes = notes
            return
        }
        let store = PackageFetcher(cache: packageCache, sources: []).store(for: lock.architecture)
        let architecture = configuration.board.architecture.debianName
        var names = BasePackageSets.image(for: architecture) + TargetPackages.controlDomainPackages
        names += configuration.layers.flatMap(\.packages)
        var files: [String: URL] = [:]
        for package in lock.packages where (try? store.check(package)) == .present {
            files[package.name] = store.file(for: package)
        }
        let reader = PackageLicenseReader(lock: lock, files: files,
                                          facts: DebFacts(cache: packageCache.appendingPathComponent("deb-contents"), tools: tools))
        var missing: [String] = []
        for name in Array(Set(names)).sorted() {
            guard let package = lock.packages.first(where: { $0.name == name }) else {
                notes.append("package '\(name)' is not in \(lockFile.lastPathComponent): its license is not checked"
                    + " (driverdom build --update-lock adds it)")
                continue
            }
            guard files[name] != nil else {
                missing.append(name)
                continue
            }
            do {
                components.append(LicensedComponent(package: try reader.license(of: package)))
            } catch {
                notes.append("cannot read the license of \(name): \(error)")
            }
        }
        if !missing.isEmpty {
            notes.append("not in the package cache \(packageCache.path), so not checked: \(missing.joined(separator: ", "))"
                + " (driverdom build fetches them)")
        }
        self.components = components
        self.notes = notes
    }
}
