// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DebianPackages

/// Refuses every command, so a test proves that no external tool (apt, network) was needed.
struct RefusingCommandRunner: CommandRunning {
    func run(_ command: Command) throws -> CommandOutput {
        throw DebianPackagesError.commandFailed(command: command.arguments, status: 127, output: "refused by test")
    }
}

@Suite struct PackageFetcherTests {
    let sources = [AptSource(uri: "http://127.0.0.1:9/debian", suites: ["bookworm"], components: ["main"])]

    @Test func aWarmCacheNeedsNoCommandAtAll() throws {
        let (folder, store, package) = try PackageStoreTests.storeWithOnePackage()
        _ = store
        let runner = RecordingCommandRunner(RefusingCommandRunner())
        // The store of `cache` for arm64 is <cache>/apt/arm64/archives: move the file there.
        let cache = folder.url.appendingPathComponent("cache")
        let fetcher = PackageFetcher(cache: cache, sources: sources, runner: runner)
        let target = fetcher.store(for: "arm64")
        try FileManager.default.createDirectory(at: target.folder, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: store.file(for: package), to: target.file(for: package))
        let lockFile = folder.url.appendingPathComponent("image.lock")
        let request = PackageRequest(architecture: "arm64", sets: ["sysroot": ["libdemo1"]])
        try PackageLock(architecture: "arm64", sets: request.sets, packages: [package]).write(to: lockFile)

        let fetched = try fetcher.fetch(request, lockFile: lockFile, offline: true)
        #expect(fetched.downloaded.isEmpty)
        #expect(fetched.debs(inSet: "sysroot") == [target.file(for: package)])
        #expect(runner.commands.isEmpty)
        withExtendedLifetime(folder) {}
    }

    @Test func offlineAMissingPackageIsNamedWithItsVersion() throws {
        let folder = try TemporaryFolder()
        let lockFile = folder.url.appendingPathComponent("image.lock")
        let package = PackageLockTests.package("libxenstore4")
        let request = PackageRequest(architecture: "arm64", sets: ["sysroot": ["libxenstore4"]])
        try PackageLock(architecture: "arm64", sets: request.sets, packages: [package]).write(to: lockFile)
        let cache = folder.url.appendingPathComponent("cache")
        let fetcher = PackageFetcher(cache: cache, sources: sources, runner: RefusingCommandRunner())
        #expect(throws: DebianPackagesError.packagesMissingOffline(
            missing: ["libxenstore4 1.0-1"], cache: fetcher.store(for: "arm64").folder.path)) {
            try fetcher.fetch(request, lockFile: lockFile, offline: true)
        }
    }

    @Test func aLockForOtherPackagesIsOutOfDate() throws {
        let folder = try TemporaryFolder()
        let lockFile = folder.url.appendingPathComponent("image.lock")
        try PackageLock(architecture: "arm64", sets: ["sysroot": ["libc6", "libasound2-dev"]],
                        packages: [PackageLockTests.package("libc6")]).write(to: lockFile)
        let fetcher = PackageFetcher(cache: folder.url, sources: sources, runner: RefusingCommandRunner())
        let request = PackageRequest(architecture: "arm64", sets: ["sysroot": ["libc6", "libdrm-dev"]])
        #expect(throws: DebianPackagesError.lockOutOfDate(
            file: lockFile.path,
            reason: "set `sysroot` now also needs libdrm-dev; set `sysroot` no longer needs libasound2-dev")) {
            try fetcher.fetch(request, lockFile: lockFile, offline: true)
        }
    }

    @Test func offlineWithoutALockIsAnError() throws {
        let folder = try TemporaryFolder()
        let lockFile = folder.url.appendingPathComponent("none.lock")
        let fetcher = PackageFetcher(cache: folder.url, sources: sources, runner: RefusingCommandRunner())
        #expect(throws: DebianPackagesError.self) {
            try fetcher.fetch(PackageRequest(architecture: "arm64", sets: ["sysroot": ["libc6"]]),
                              lockFile: lockFile, offline: true)
        }
        #expect(!FileManager.default.fileExists(atPath: lockFile.path))
    }

    @Test func privateAptOptionsConfineStateToItsRoot() {
        let root = URL(fileURLWithPath: "/cache/apt/armhf")
        let apt = PrivateApt(root: root, architecture: "armhf", sources: sources)
        let values = stride(from: 1, to: apt.options.count, by: 2).map { apt.options[$0] }
        #expect(values.contains("APT::Architectures=armhf"))
        for value in values where value.hasPrefix("Dir::") {
            #expect(value.contains("=/cache/apt/armhf/"), "\(value) escapes the private root")
        }
    }
}

@Suite struct CommandRunnerTests {
    @Test func theProcessRunnerReturnsOutputAndReportsFailureWithItsText() throws {
        let output = try ProcessCommandRunner().run(Command(["sh", "-c", "echo out; echo err >&2"]))
        #expect(output.text == "out\n")
        #expect(output.standardError == "err\n")
        #expect(throws: DebianPackagesError.commandFailed(command: ["sh", "-c", "echo broken >&2; exit 3"], status: 3,
                                                          output: "broken\n")) {
            try ProcessCommandRunner().run(Command(["sh", "-c", "echo broken >&2; exit 3"]))
        }
    }

    /// A failed command's error carries all of its stdout, not a tail: the
    /// downloader reads curl's write-out line for every transfer from it.
    @Test func aFailureKeepsEveryOutputLine() {
        let script = "for i in $(seq 1 100); do echo line$i; done; exit 22"
        do {
            _ = try ProcessCommandRunner().run(Command(["sh", "-c", script]))
            Issue.record("the failing command did not throw")
        } catch let DebianPackagesError.commandFailed(_, status, output) {
            #expect(status == 22)
            #expect(output.split(separator: "\n").count == 100 && output.hasPrefix("line1\n"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func theProcessRunnerUsesTheWorkingFolderAndEnvironment() throws {
        let folder = try TemporaryFolder()
        let output = try ProcessCommandRunner().run(Command(["sh", "-c", "pwd; echo $DRIVERDOM_PROBE"],
                                                            workingDirectory: folder.url,
                                                            environment: ["DRIVERDOM_PROBE": "set"]))
        #expect(output.text == "\(folder.url.resolvingSymlinksInPath().path)\nset\n")
    }

    @Test func aDryRunRecordsWithoutRunning() throws {
        let runner = RecordingCommandRunner(NullCommandRunner())
        let folder = try TemporaryFolder()
        defer { withExtendedLifetime(folder) {} }
        let apt = PrivateApt(root: folder.url, architecture: "arm64",
                             sources: [AptSource(uri: "http://m/debian", suites: ["bookworm"], components: ["main"])],
                             runner: runner)
        _ = try apt.resolveClosure(["libc6"])
        let arguments = try #require(runner.commands.first?.arguments)
        #expect(arguments.first == "apt-get")
        #expect(arguments.suffix(4) == ["install", "--simulate", "--quiet", "libc6"])
    }
}
