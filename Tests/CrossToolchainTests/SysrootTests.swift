// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import CrossToolchain
@testable import DebianPackages

@Suite struct SysrootTests {
    static func package(_ name: String, sha: Character) -> LockedPackage {
        LockedPackage(name: name, version: "1", architecture: "arm64", sha256: String(repeating: sha, count: 64),
                      size: 1, filename: "pool/\(name).deb", sets: ["sysroot"])
    }

    @Test func absoluteSymlinksBecomeRelativeToTheSysroot() throws {
        let root = try TemporaryFolder()
        let fm = FileManager.default
        let lib = root.url.appendingPathComponent("usr/lib/aarch64-linux-gnu")
        try fm.createDirectory(at: lib, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: lib.appendingPathComponent("libm.so").path,
                                  withDestinationPath: "/lib/aarch64-linux-gnu/libm.so.6")
        try fm.createSymbolicLink(atPath: lib.appendingPathComponent("libx.so").path, withDestinationPath: "libx.so.1")
        try SysrootBuilder.relativizeSymlinks(in: root.url)
        #expect(try fm.destinationOfSymbolicLink(atPath: lib.appendingPathComponent("libm.so").path)
            == "../../../lib/aarch64-linux-gnu/libm.so.6")
        #expect(try fm.destinationOfSymbolicLink(atPath: lib.appendingPathComponent("libx.so").path) == "libx.so.1")
    }

    @Test func libFilesAreLinkedFromUsrLibWithoutReplacingExistingOnes() throws {
        let root = try TemporaryFolder()
        let fm = FileManager.default
        let lib = root.url.appendingPathComponent("lib/arm-linux-gnueabihf")
        let usrLib = root.url.appendingPathComponent("usr/lib/arm-linux-gnueabihf")
        try fm.createDirectory(at: lib, withIntermediateDirectories: true)
        try fm.createDirectory(at: usrLib, withIntermediateDirectories: true)
        try Data("libc".utf8).write(to: lib.appendingPathComponent("libc.so.6"))
        try Data("lib".utf8).write(to: lib.appendingPathComponent("libm.so.6"))
        try Data("usr".utf8).write(to: usrLib.appendingPathComponent("libm.so.6"))
        try SysrootBuilder.linkMergedUsr(in: root.url, multiarch: "arm-linux-gnueabihf")
        #expect(try String(contentsOf: usrLib.appendingPathComponent("libc.so.6"), encoding: .utf8) == "libc")
        #expect(try String(contentsOf: usrLib.appendingPathComponent("libm.so.6"), encoding: .utf8) == "usr")
    }

    @Test func theKeyFollowsEveryPackageHashAndTheArchitecture() {
        let base = [Self.package("libc6", sha: "a"), Self.package("libxen-dev", sha: "b")]
        let key = SysrootBuilder.key(architecture: .arm64, packages: base)
        #expect(key == SysrootBuilder.key(architecture: .arm64, packages: base.reversed()))
        #expect(key != SysrootBuilder.key(architecture: .armhf, packages: base))
        #expect(key != SysrootBuilder.key(architecture: .arm64,
                                          packages: [Self.package("libc6", sha: "a"), Self.package("libxen-dev", sha: "c")]))
        #expect(key != SysrootBuilder.key(architecture: .arm64, packages: [Self.package("libc6", sha: "a")]))
    }

    @Test func anEmptySetIsRefused() throws {
        let fetched = FetchedPackages(lock: PackageLock(architecture: "arm64", sets: [:], packages: []), files: [:],
                                      downloaded: [])
        #expect(throws: CrossToolchainError.sysrootPackagesMissing(set: "sysroot", missing: ["(all)"])) {
            try SysrootBuilder(cache: URL(fileURLWithPath: "/nonexistent")).build(.arm64, from: fetched)
        }
    }
}

@Suite struct SwiftSDKTests {
    static func sysroot(_ architecture: TargetArchitecture) -> Sysroot {
        Sysroot(architecture: architecture, path: URL(fileURLWithPath: "/cache/sysroot/\(architecture.debian)-1"),
                key: String(repeating: "1", count: 64))
    }

    @Test(arguments: TargetArchitecture.allCases)
    func flagsSelectEmbeddedModeTheLinkTripleAndLld(_ architecture: TargetArchitecture) {
        let flags = SwiftSDK.swiftFlags(Self.sysroot(architecture))
        #expect(flags.starts(with: ["-enable-experimental-feature", "Embedded", "-wmo"]))
        // Optimised for size (it overrides SwiftPM's release -O), with one section per function for --gc-sections.
        #expect(flags.contains("-Osize") && flags.contains("-function-sections"))
        #expect(flags.suffix(3) == ["-Xclang-linker", "--target=\(architecture.linkTriple)", "-use-ld=lld"])
        let include = "/cache/sysroot/\(architecture.debian)-1/usr/include"
        #expect(flags.contains(include + "/" + architecture.multiarch))
        #expect(flags.contains("-mfloat-abi=hard") == (architecture == .armhf))
        // Every C flag reaches swiftc through -Xcc.
        #expect(flags.count(where: { $0 == "-Xcc" }) == SwiftSDK.cFlags(Self.sysroot(architecture)).count)
    }

    @Test func theBundleIsWrittenOnceUnderAKeyOfItsContents() throws {
        let cache = try TemporaryFolder()
        let toolchain = try SwiftToolchain.fromPath()
        try #require((try? toolchain.validate(for: .arm64)) != nil, "needs a Swift toolchain with Embedded Swift")
        let sdk = try SwiftSDK.generate(in: cache.url, sysroot: Self.sysroot(.arm64), toolchain: toolchain)
        let variant = sdk.bundlesFolder.appendingPathComponent("\(sdk.name).artifactbundle/\(sdk.name)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: variant.appendingPathComponent("swift-sdk.json")))
        let triples = try #require((json as? [String: Any])?["targetTriples"] as? [String: Any])
        let triple = try #require(triples["aarch64-none-none-elf"] as? [String: Any])
        #expect(triple["sdkRootPath"] as? String == "/cache/sysroot/arm64-1")
        let again = try SwiftSDK.generate(in: cache.url, sysroot: Self.sysroot(.arm64), toolchain: toolchain)
        #expect(again == sdk)
        let other = try SwiftSDK.generate(in: cache.url, sysroot: Self.sysroot(.armhf), toolchain: toolchain)
        #expect(other.key != sdk.key && other.bundlesFolder != sdk.bundlesFolder)
    }
}
