// SPDX-License-Identifier: Apache-2.0
import DebianPackages
import Foundation

/// A signed Debian archive in a temporary folder, served as `file://`, for tests of
/// resolving, locking and fetching that must not depend on the live mirror: its
/// own throwaway OpenPGP key, one suite, one component, arm64 packages with
/// random contents. Tests publish a new index (a version disappears or is
/// replaced), delete files from the pool, or copy them into a fake snapshot
/// archive or an extra mirror folder.
package final class LocalDebianArchive {
    /// Everything lives below this folder; removed when the archive is released.
    package let root: URL
    /// The archive (mirror root) folder: `dists/`, `pool/`.
    package let repository: URL
    /// A folder laid out like snapshot.debian.org's `archive/` tree.
    package let snapshotRoot: URL
    /// Binary keyring with the archive's public key (for apt's `signed-by` and gpgv).
    package let keyring: URL
    /// Suite name.
    package let suite = "bookworm"
    private let gnupgHome: URL
    private let runner = ProcessCommandRunner()
    /// The `Date:` of the last published Release file.
    package private(set) var releaseDate = Date(timeIntervalSince1970: 1_796_000_000)

    /// One package version to publish.
    package struct Package: Equatable, Sendable {
        package var name: String
        package var version: String
        package var contents: Data
        /// Pool path, as the index and the lock name it.
        package var filename: String { "pool/main/\(name.prefix(1))/\(name)/\(name)_\(version)_arm64.deb" }
        package var sha256: String { FileDigest.sha256(contents) }

        package init(name: String, version: String, contents: Data? = nil) {
            self.name = name
            self.version = version
            self.contents = contents ?? Data("\(name) \(version) ".utf8) + Data((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ name.count) })
        }
    }

    /// Whether the tools this needs (gpg, gpgv, apt-get, curl) are installed.
    package static var toolsAvailable: Bool {
        ["gpg", "gpgv", "apt-get", "curl"].allSatisfy { tool in
            (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
                .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
    }

    /// Creates the folders and a fresh signing key.
    package init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-archive-\(UUID().uuidString)")
        repository = root.appendingPathComponent("debian")
        snapshotRoot = root.appendingPathComponent("snapshot")
        keyring = root.appendingPathComponent("archive-keyring.gpg")
        gnupgHome = root.appendingPathComponent("gnupg")
        try FileManager.default.createDirectory(at: gnupgHome, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try gpg(["--quick-gen-key", "driverdom test archive <archive@test.invalid>", "ed25519", "sign", "never"])
        let key = try gpg(["--export"]).standardOutput
        try key.write(to: keyring)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The apt source of this archive.
    package var source: AptSource {
        AptSource(uri: repository.absoluteString, suites: [suite], components: ["main"])
    }

    /// Writes each package's file into the pool (keeping what is there) and publishes
    /// a signed index listing exactly `packages`, dated `date` (default: a minute
    /// after the previous one).
    package func publish(_ packages: [Package], date: Date? = nil) throws {
        releaseDate = date ?? releaseDate.addingTimeInterval(60)
        var index = ""
        for package in packages.sorted(by: { ($0.name, $0.version) < ($1.name, $1.version) }) {
            let file = repository.appendingPathComponent(package.filename)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try package.contents.write(to: file)
            index += """
                Package: \(package.name)
                Version: \(package.version)
                Architecture: arm64
                Maintainer: Test <archive@test.invalid>
                Filename: \(package.filename)
                Size: \(package.contents.count)
                SHA256: \(package.sha256)
                Description: test package \(package.name)


                """
        }
        let dists = repository.appendingPathComponent("dists/\(suite)")
        let packagesPath = "main/binary-arm64/Packages"
        let packagesFile = dists.appendingPathComponent(packagesPath)
        try FileManager.default.createDirectory(at: packagesFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        let indexData = Data(index.utf8)
        try indexData.write(to: packagesFile)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'UTC'"
        let release = """
            Origin: Test
            Label: Test
            Suite: \(suite)
            Codename: \(suite)
            Date: \(formatter.string(from: releaseDate))
            Architectures: arm64
            Components: main
            SHA256:
             \(FileDigest.sha256(indexData)) \(indexData.count) \(packagesPath)

            """
        let releaseFile = dists.appendingPathComponent("Release")
        try Data(release.utf8).write(to: releaseFile)
        try gpg(["--yes", "--clearsign", "--output", dists.appendingPathComponent("InRelease").path, releaseFile.path])
    }

    /// Deletes a package's file from the pool (the archive stopped keeping it).
    package func removeFromPool(_ package: Package) throws {
        try FileManager.default.removeItem(at: repository.appendingPathComponent(package.filename))
    }

    /// Puts a package's file where snapshot would serve it for an index of this archive
    /// published at `date` (the first timestamp the fetcher asks for).
    package func addToSnapshot(_ package: Package, publishedAt date: Date) throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: date.addingTimeInterval(3600))
        let file = snapshotRoot.appendingPathComponent("\(repository.lastPathComponent)/\(stamp)/\(package.filename)")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try package.contents.write(to: file)
    }

    @discardableResult
    private func gpg(_ arguments: [String]) throws -> CommandOutput {
        try runner.run(Command(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                                "--homedir", gnupgHome.path] + arguments, environment: ["LC_ALL": "C"]))
    }
}
