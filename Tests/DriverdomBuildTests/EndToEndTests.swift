// SPDX-License-Identifier: Apache-2.0
import DriverdomBuild
import Foundation
import RootfsAssembly
import Testing

/// Whether the end-to-end build can run here, and why not.
enum EndToEnd {
    static let image = "Images/qemu-virt-arm64.yaml"
    static let lockFile = repositoryRoot.appendingPathComponent("Images/qemu-virt-arm64.lock")
    /// The build cache: the user's, as `driverdom build` finds it (`$DRIVERDOM_CACHE`, else
    /// `$XDG_CACHE_HOME/driverdom`, else `~/.cache/driverdom`). Every end-to-end test of the
    /// suite shares it, so each cached step is built once per run (steps are keyed by their
    /// inputs and locked per key, so concurrent builds wait for each other, never collide),
    /// and the README's first command leaves it warm for the second.
    static let cache = BuildLocations(output: nil, cache: nil).cache.path

    static let missingTools = ["qemu-aarch64-static", "dpkg-deb", "depmod", "mke2fs", "cpio", "gzip", "curl"]
        .filter { !DriverdomProcess.available($0) }

    /// The packages are in the cache already (lock present, every locked .deb verified).
    static var cacheIsWarm: Bool {
        guard let data = try? Data(contentsOf: lockFile),
              let lock = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let packages = lock["packages"] as? [[String: Any]] else { return false }
        let archives = cache + "/packages/apt/arm64/archives"
        let verified = ((try? FileManager.default.contentsOfDirectory(atPath: archives)) ?? [])
            .filter { $0.hasSuffix(".verified") }
        return verified.count >= packages.count
    }

    static var mirrorReachable: Bool {
        guard DriverdomProcess.available("curl") else { return false }
        let probe = try? DriverdomProcess.run(["curl", "-sfI", "--max-time", "8",
                                               "http://deb.debian.org/debian/dists/bookworm/InRelease"])
        return probe?.status == 0
    }

    static var skipReason: Comment? {
        if DriverdomProcess.executable == nil { return "the driverdom executable was not built" }
        if !missingTools.isEmpty { return "missing tools: \(missingTools.joined(separator: ", "))" }
        if !cacheIsWarm && !mirrorReachable { return "the Debian mirror is unreachable and the package cache is cold" }
        return nil
    }

    /// `driverdom build IMAGE --json` plus `arguments`, from the repository root.
    static func build(_ arguments: [String]) throws -> DriverdomProcess {
        try DriverdomProcess.run([DriverdomProcess.executable!, "build", image, "--json"] + arguments,
                                 environment: ["DRIVERDOM_CACHE": cache], in: repositoryRoot)
    }
}

@Suite("driverdom build end to end (aarch64, real packages and toolchain)", .serialized,
       .enabled(if: EndToEnd.skipReason == nil, EndToEnd.skipReason ?? ""))
struct BuildEndToEndTests {
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
    private let outputs = ["domd-initramfs.cpio.gz", "domd-rootfs.ext4", "disk.img", "disk.img.bmap", "manifest.json"]

    @Test func buildRunsOnTargetRebuildsNothingThenOnlyTheTouchedLayer() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out").path
        let first = try EndToEnd.build(["--out", out])
        try #require(first.status == 0, "first build failed: \(first.stderr)")
        for name in outputs {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name) missing")
        }

        // The staged DomD rootfs is enough to run the backend: its libraries come from DT_NEEDED.
        let root = scratch.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let unpack = try DriverdomProcess.run(["sh", "-c", "gzip -dc '\(out)/domd-initramfs.cpio.gz' | cpio -idm --quiet"],
                                              in: root)
        try #require(unpack.status == 0, "cannot unpack the initramfs: \(unpack.stderr)")
        let backend = try DriverdomProcess.run(["qemu-aarch64-static", "-L", root.path,
                                                root.path + "/usr/bin/kbdif-backend"])
        #expect(backend.status == 2, "kbdif-backend without arguments exits with its usage status")
        #expect((backend.stdout + backend.stderr).contains("usage: kbdif-backend"))
        let initELF = try ELFFile(bytes: Array(Data(contentsOf: root.appendingPathComponent("init"))), path: "init")
        #expect(initELF.machine == 183, "the init is an aarch64 executable")
        let interpreter = try #require(initELF.interpreter)
        #expect(FileManager.default.fileExists(atPath: root.path + interpreter), "\(interpreter) is in the rootfs")
        #expect(FileManager.default.fileExists(atPath: root.path + "/etc/driverdom/services"))
        #expect(!FileManager.default.fileExists(atPath: root.path + "/bin/busybox"), "busybox only with a debug shell")

        // The manifest lists both rootfs and names the package each packaged file came from.
        let manifest = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as? [String: Any])
        let rootfs = try #require(manifest["rootfs"] as? [[String: Any]])
        #expect(rootfs.compactMap { $0["name"] as? String } == ["domd", "control"])
        let domdFiles = try #require(rootfs.first?["files"] as? [[String: Any]])
        let libc = try #require(domdFiles.first { ($0["path"] as? String) == "/lib/aarch64-linux-gnu/libc.so.6" })
        #expect(libc["package"] as? String == "libc6")
        #expect((libc["version"] as? String)?.isEmpty == false)
        let backendEntry = try #require(domdFiles.first { ($0["path"] as? String) == "/usr/bin/kbdif-backend" })
        #expect(backendEntry["package"] == nil && backendEntry["origin"] as? String == "layer kbdif")

        let second = try EndToEnd.build(["--out", out])
        #expect(second.status == 0)
        #expect(second.stepsRun.isEmpty, "a no-change rebuild ran \(second.stepsRun.sorted())")
        #expect(second.finishedSteps.count >= 14)

        // Offline: the lock and the package cache are enough.
        let offline = try EndToEnd.build(["--out", out, "--offline"])
        #expect(offline.status == 0, "offline rebuild failed: \(offline.stderr)")
        #expect(offline.stepsRun.isEmpty)

        let source = repositoryRoot.appendingPathComponent("Sources/kbdif-backend/main.swift")
        let original = try Data(contentsOf: source)
        defer { try? original.write(to: source) }
        try (original + Data("\n// driverdom e2e touch \(UUID().uuidString)\n".utf8)).write(to: source)
        let third = try EndToEnd.build(["--out", out, "--layer", "kbdif"])
        try #require(third.status == 0, "layer rebuild failed: \(third.stderr)")
        #expect(third.stepsRun.filter { $0.hasPrefix("compile") } == ["compile"])
        #expect(third.stepsRun.contains("stage:kbdif"))
        #expect(!third.stepsRun.contains("fetch") && !third.stepsRun.contains("sysroot"))
    }

    @Test func killedBuildIsFollowedByAGoodBuild() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out").path
        // kill -9 of driverdom alone: tools it started may outlive it (as after a
        // crash); the next build must still be correct.
        let process = DriverdomProcess.configured(
            [DriverdomProcess.executable!, "build", EndToEnd.image, "--json", "--out", out, "--layer", "kbdif"],
            environment: ["DRIVERDOM_CACHE": EndToEnd.cache], in: repositoryRoot)
        let events = Pipe()
        process.standardOutput = events
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = ""
        var killed = false
        while !killed, case let chunk = events.fileHandleForReading.availableData, !chunk.isEmpty {
            seen += String(decoding: chunk, as: UTF8.self)
            if seen.contains("\"step\":\"compile\"") && seen.contains("\"event\":\"step-start\"") {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        process.waitUntilExit()
        #expect(killed, "the build finished before its compile step started; nothing was interrupted")
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: out + "/disk.img"), "a killed build promoted no output")

        let good = try EndToEnd.build(["--out", out])
        try #require(good.status == 0, "build after kill -9 failed: \(good.stderr)")
        let list = try DriverdomProcess.run(["sh", "-c", "gzip -dc '\(out)/domd-initramfs.cpio.gz' | cpio -t --quiet"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("usr/bin/kbdif-backend"))
    }
}
