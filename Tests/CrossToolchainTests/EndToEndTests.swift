// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DebianPackages
import Foundation
import Testing

/// Fetch → sysroot → SDK → SwiftPM cross build → run under qemu-user, per architecture.
@Suite(.serialized) struct EndToEndTests {
    static func runnable(_ architecture: TargetArchitecture) -> Bool {
        TestEnvironment.packagesAvailable(architecture) && TestEnvironment.hasTool(architecture.qemuUser)
    }

    /// The probe package in the cache: the fixture plus a copy of the repository's
    /// CLinux shim, rewritten only where bytes changed so warm builds stay incremental.
    static func probePackage() throws -> URL {
        let target = TestEnvironment.cache.appendingPathComponent("test-probe/CrossProbe")
        let fixture = TestEnvironment.packageRoot.appendingPathComponent("Tests/CrossToolchainTests/Fixtures/CrossProbe")
        try mirror(fixture, into: target)
        try mirror(TestEnvironment.packageRoot.appendingPathComponent("Sources/CLinux"),
                   into: target.appendingPathComponent("Sources/CLinux"))
        return target
    }

    static func mirror(_ source: URL, into target: URL) throws {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: source.path) else { return }
        while let relative = walker.nextObject() as? String {
            let from = source.appendingPathComponent(relative), to = target.appendingPathComponent(relative)
            var isFolder: ObjCBool = false
            _ = fm.fileExists(atPath: from.path, isDirectory: &isFolder)
            if isFolder.boolValue {
                try fm.createDirectory(at: to, withIntermediateDirectories: true)
            } else {
                let data = try Data(contentsOf: from)
                if (try? Data(contentsOf: to)) != data {
                    try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try data.write(to: to)
                }
            }
        }
    }

    /// Builds `product` for `architecture`, strips it and runs it under qemu; returns its output.
    static func buildAndRun(_ product: String, for architecture: TargetArchitecture) throws
        -> (output: String, binary: URL, sysroot: Sysroot) {
        let fetched = try TestEnvironment.fetch(architecture)
        var start = ContinuousClock.now
        let sysroot = try SysrootBuilder(cache: TestEnvironment.cache).build(architecture, from: fetched)
        TestEnvironment.report("sysroot \(architecture.debian)", since: start)
        let toolchain = try SwiftToolchain.fromPath()
        let sdk = try SwiftSDK.generate(in: TestEnvironment.cache, sysroot: sysroot, toolchain: toolchain)
        let build = CrossBuild(sdk: sdk, toolchain: toolchain)
        let package = try probePackage()
        start = ContinuousClock.now
        let scratch = build.scratchPath(in: TestEnvironment.cache).appendingPathExtension("probe")
        let binary = try build.build(package: package, product: product, scratchPath: scratch)
        TestEnvironment.report("swift build \(product) \(architecture.debian)", since: start)
        let stripped = binary.appendingPathExtension("stripped")
        try build.strip(binary, to: stripped)
        let output = try ProcessCommandRunner().run(
            Command([architecture.qemuUser, "-L", sysroot.path.path, stripped.path])).text
        return (output, stripped, sysroot)
    }

    static let skipReason: Comment = "needs apt-get, gpgv, dpkg-deb, qemu-user-static and the Debian mirror or a warm cache"

    @Test(.enabled(if: runnable(.arm64), skipReason)) func helloImportingCLinuxRunsOnArm64() throws {
        try checkHello(.arm64)
    }

    @Test(.enabled(if: runnable(.armhf), skipReason)) func helloImportingCLinuxRunsOnArmhf() throws {
        try checkHello(.armhf)
    }

    @Test(.enabled(if: runnable(.arm64), skipReason)) func probeLinkingLibxenstoreRunsOnArm64() throws {
        try checkXenStoreProbe(.arm64)
    }

    @Test(.enabled(if: runnable(.armhf), skipReason)) func probeLinkingLibxenstoreRunsOnArmhf() throws {
        try checkXenStoreProbe(.armhf)
    }

    /// The Xen core's Embedded self-test (simulated handshake and kbdif events),
    /// built for aarch64 against the Debian sysroot by XenCoreTests' own script and
    /// run under qemu-aarch64-static.
    @Test(.enabled(if: runnable(.arm64), skipReason), .timeLimit(.minutes(25)))
    func xencoreSelfTestRunsOnArm64() throws {
        let fetched = try TestEnvironment.fetch(.arm64)
        let sysroot = try SysrootBuilder(cache: TestEnvironment.cache).build(.arm64, from: fetched)
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/XenCoreTests/embedded-check.sh")
        let output = try TemporaryFolder()
        let toolchain = try SwiftToolchain.fromPath()
        let path = toolchain.tool("swiftc").deletingLastPathComponent().path
            + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try ProcessCommandRunner().run(Command(
            ["/bin/sh", script.path, output.url.path],
            environment: ["SYSROOT": sysroot.path.path, "PATH": path]))
        let text = result.text
        let afterQEMU = try #require(text.range(of: "running the aarch64 self-test under qemu-aarch64-static"),
                                     "the aarch64 self-test did not run: \(text.suffix(2000))")
        #expect(text[afterQEMU.upperBound...].contains("xencore-selftest: PASS"), "\(text.suffix(2000))")
    }

    func checkHello(_ architecture: TargetArchitecture) throws {
        let (output, binary, _) = try Self.buildAndRun("hello", for: architecture)
        #expect(output == "hello from embedded swift: sorted 123, pid positive true\n")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: binary.path)[.size] as? Int)
        print("size: hello \(architecture.debian) stripped \(size) bytes")
        #expect(size < 200_000)
    }

    func checkXenStoreProbe(_ architecture: TargetArchitecture) throws {
        let (output, binary, _) = try Self.buildAndRun("xsprobe", for: architecture)
        // Outside a Xen domain there is no xenstore to connect to; the call itself must happen.
        #expect(output.hasPrefix("xenstore: xs_open failed, errno "))
        let toolchain = try SwiftToolchain.fromPath()
        let headers = try ProcessCommandRunner().run(Command([toolchain.tool("llvm-objdump").path, "-p", binary.path]))
        let needed = headers.text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.first == "NEEDED" }.compactMap(\.last)
        #expect(needed.contains("libxenstore.so.4"))
    }
}
