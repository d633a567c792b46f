// SPDX-License-Identifier: Apache-2.0
import DebianArchiveFixture
import DebianPackages
import DriverdomBuild
import DriverdomConfig
import Foundation
import Testing

/// `driverdom lock` against a signed archive the test makes (throwaway key,
/// `file://`): creating a lock, `--check` when current and when behind, and the
/// refresh that prints each change. The image names that archive in `debian:`.
@Suite("driverdom lock", .serialized,
       .enabled(if: DriverdomProcess.executable != nil && LocalDebianArchive.toolsAvailable,
                "needs the driverdom executable, gpg, gpgv, apt-get and curl"))
struct LockCommandTests {
    /// A repository folder with this checkout's boards and layers and one image served by `archive`.
    struct Fixture {
        let archive: LocalDebianArchive
        let root: URL
        let image = "Images/small.yaml"
        var lockFile: URL { root.appendingPathComponent("Images/small.lock") }
        var cache: String { root.appendingPathComponent("cache").path }
        /// Every package the image's sets name, one version each.
        var packages: [LocalDebianArchive.Package]

        func lock(_ arguments: [String]) throws -> DriverdomProcess {
            try DriverdomProcess.run([DriverdomProcess.executable!, "lock"] + arguments + ["--cache", cache], in: root)
        }
    }

    static func fixture() throws -> Fixture {
        let archive = try LocalDebianArchive()
        let root = archive.root.appendingPathComponent("product")
        let images = root.appendingPathComponent("Images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for folder in ["Boards", "Layers"] {
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent(folder),
                                                       withDestinationURL: repositoryRoot.appendingPathComponent(folder))
        }
        let text = """
            format: 1
            name: small
            board: qemu-virt-arm64
            debian:
              sources:
                - uri: \(archive.repository.absoluteString)
                  suites: [bookworm]
              keyring: ../../archive-keyring.gpg
            layers:
              - layer: kbdif
                devices: [virtual-input]
            driver_domain: {name: DomD, memory: 256MiB, vcpus: 1}
            guests:
              - name: DomU
                memory: 256MiB
                vcpus: 1
                vkb:
                  - {id: kbd0, device: virtual-input}
            outputs: [initramfs]

            """
        try text.write(to: images.appendingPathComponent("small.yaml"), atomically: true, encoding: .utf8)
        let configuration = try Repository.find(from: images.path).loadImage(at: images.appendingPathComponent("small.yaml").path)
        let request = try TargetPackages(configuration: configuration, architecture: .aarch64,
                                         cache: root.appendingPathComponent("unused")).request
        let names = Set(request.sets.values.flatMap { $0 }).sorted()
        let packages = names.map { LocalDebianArchive.Package(name: $0, version: "1.0-1") }
        try archive.publish(packages)
        return Fixture(archive: archive, root: root, packages: packages)
    }

    @Test func createsTheLockThenFindsItCurrent() throws {
        let fixture = try Self.fixture()
        let created = try fixture.lock([fixture.image])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("Images/small.lock: created, \(fixture.packages.count) package changes"),
                "\(created.stdout)")
        let lock = try PackageLock.read(from: fixture.lockFile)
        #expect(lock.packages.count == fixture.packages.count)
        #expect(lock.indexes?.map(\.suite) == ["bookworm"])

        let bytes = try Data(contentsOf: fixture.lockFile)
        let check = try fixture.lock([fixture.image, "--check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "Images/small.lock: up to date\n")
        let again = try fixture.lock(["--all"])
        #expect(again.status == 0 && again.stdout == "Images/small.lock: up to date\n", "\(again.stdout)\(again.stderr)")
        #expect(try Data(contentsOf: fixture.lockFile) == bytes, "an unchanged lock was rewritten")
    }

    @Test func checkExitsOneWhenBehindAndTheRefreshPrintsEachChange() throws {
        let fixture = try Self.fixture()
        #expect(try fixture.lock([fixture.image]).status == 0)
        let before = try Data(contentsOf: fixture.lockFile)
        let upgraded = fixture.packages.map {
            $0.name == "libc6" ? LocalDebianArchive.Package(name: "libc6", version: "1.0-2") : $0
        }
        try fixture.archive.publish(upgraded)

        let check = try fixture.lock([fixture.image, "--check"])
        #expect(check.status == 1)
        #expect(check.stdout == "Images/small.lock: behind the archive, 1 package change\n  libc6 1.0-1 → 1.0-2 [arm64]\n",
                "\(check.stdout)")
        #expect(check.stderr.contains("refresh with `driverdom lock Images/small.yaml`"), "\(check.stderr)")
        #expect(try Data(contentsOf: fixture.lockFile) == before, "--check wrote the lock")

        let refresh = try fixture.lock([fixture.image])
        #expect(refresh.status == 0, "\(refresh.stderr)")
        #expect(refresh.stdout == "Images/small.lock: refreshed, 1 package change\n  libc6 1.0-1 → 1.0-2 [arm64]\n")
        let lock = try PackageLock.read(from: fixture.lockFile)
        #expect(lock.packages.first { $0.name == "libc6" }?.version == "1.0-2")
    }

    @Test func usageErrorsExitTwo() throws {
        let fixture = try Self.fixture()
        #expect(try fixture.lock([]).status == 2)
        #expect(try fixture.lock([fixture.image, "--all"]).status == 2)
        let missing = try fixture.lock(["Images/none.yaml"])
        #expect(missing.status == 2, "\(missing.stderr)")
    }
}
