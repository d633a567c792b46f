// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import CrossToolchain
import DebianPackages
import DriverdomBuild
import DriverdomConfig
import Foundation

/// What the steps of a session's preparation share: the image's packages and
/// lock, and — made on first use, so a fully cached preparation never touches
/// them — the verified package files and the Swift SDK.
final class SessionToolbox: @unchecked Sendable {
    let packages: TargetPackages
    let lock: PackageLock
    let packageRoot: URL
    let toolchain: SwiftToolchain
    /// Cache of packages, sysroots, SDKs and SwiftPM scratch folders.
    let packageCache: URL
    let offline: Bool

    private let mutex = NSLock()
    private var fetchedPackages: FetchedPackages?
    private var swiftSDK: SwiftSDK?

    init(packages: TargetPackages, lock: PackageLock, packageRoot: URL, toolchain: SwiftToolchain,
         packageCache: URL, offline: Bool) {
        self.packages = packages
        self.lock = lock
        self.packageRoot = packageRoot
        self.toolchain = toolchain
        self.packageCache = packageCache
        self.offline = offline
    }

    /// Every locked package, verified in the package cache.
    func fetched() throws -> FetchedPackages {
        mutex.lock()
        defer { mutex.unlock() }
        if let fetchedPackages { return fetchedPackages }
        let result = try packages.fetch(lock, offline: offline)
        fetchedPackages = result
        return result
    }

    /// The sysroot's Swift SDK.
    func sdk() throws -> SwiftSDK {
        let fetched = try fetched()
        mutex.lock()
        defer { mutex.unlock() }
        if let swiftSDK { return swiftSDK }
        let result = try packages.sdk(fetched, toolchain: toolchain)
        swiftSDK = result
        return result
    }

    /// The first locked package whose name matches `predicate`, described as `named` in errors.
    func locked(_ named: String, where predicate: (String) -> Bool) throws(SystemTestError) -> LockedPackage {
        guard let package = TargetPackages.package(in: lock, where: predicate) else {
            throw .findPackageFailed(name: named, lockFile: packages.lockFile.path)
        }
        return package
    }

    /// The verified .deb of `package`.
    func deb(_ package: LockedPackage) throws -> URL {
        guard let file = try fetched().files[package.name] else {
            throw SystemTestError.findPackageFailed(name: package.name, lockFile: packages.lockFile.path)
        }
        return file
    }
}
