// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `driverdom build` refusals: every user error exits 2 before the cache, the
/// output folder or the lock file is touched. No network or toolchain needed.
@Suite("driverdom build user errors", .enabled(if: DriverdomProcess.executable != nil, "driverdom was not built"))
struct BuildCommandTests {
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("build-cli-\(UUID().uuidString)")
    private var cache: String { scratch.appendingPathComponent("cache").path }
    private var out: String { scratch.appendingPathComponent("out").path }

    private func build(_ arguments: [String], in folder: URL = repositoryRoot) throws -> DriverdomProcess {
        try DriverdomProcess.run([DriverdomProcess.executable!, "build"] + arguments + ["--cache", cache, "--out", out],
                                 in: folder)
    }

    private func expectNothingTouched() {
        #expect(!FileManager.default.fileExists(atPath: cache), "the cache was created")
        #expect(!FileManager.default.fileExists(atPath: out), "the output folder was created")
    }

    @Test func configErrorsArePrintedWithLocationsAndExit2() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let broken = repositoryRoot.appendingPathComponent("Tests/DriverdomConfigTests/Fixtures/broken")
        let run = try build(["Images/bad-sizes.yaml"], in: broken)
        #expect(run.status == 2)
        #expect(run.stderr.contains("Images/bad-sizes.yaml:"), "diagnostics name file:line:col: \(run.stderr)")
        #expect(run.stderr.contains(": error: "))
        expectNothingTouched()
        #expect(!FileManager.default.fileExists(atPath: broken.appendingPathComponent("Images/bad-sizes.lock").path))
    }

    @Test func unknownLayerIsAUserError() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let run = try build(["Images/qemu-virt-arm64.yaml", "--layer", "audio"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("layer 'audio' is not part of this image; use one of: kbdif, sndif, displif, usbif"),
                "\(run.stderr)")
        expectNothingTouched()
    }

    @Test func architectureOtherThanTheBoardsIsAUserError() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let run = try build(["Images/qemu-virt-arm64.yaml", "--arch", "armv7"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("architecture 'armv7' does not match board 'qemu-virt-arm64' (aarch64)"))
        expectNothingTouched()
    }

    @Test(arguments: [["--arch", "x86"], ["--jobs", "0"], ["--quiet", "--json"]])
    func badUsageExits2(arguments: [String]) throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let run = try build(["Images/qemu-virt-arm64.yaml"] + arguments)
        #expect(run.status == 2, "\(arguments): \(run.stderr)")
        expectNothingTouched()
    }
}
