// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Foundation
import Testing

/// Each protocol's libFuzzer target (Fuzz/<protocol>/main.swift) builds and
/// runs a short, fixed number of executions from its committed seed corpus
/// without a finding. Long campaigns are run by hand (`Fuzz/run.sh PROTOCOL SECONDS`).
@Suite(.serialized) struct FuzzSmokeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// About 10-20 s per target on 2 cores once built (the build, four device modules
    /// with ASan, is most of the cost).
    static let runs = 20_000

    /// swiftc with libFuzzer support: the toolchain's fuzzer runtime is present.
    static var fuzzerAvailable: Bool {
        guard let swiftc = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map({ URL(fileURLWithPath: String($0)).appendingPathComponent("swiftc") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else { return false }
        let lib = swiftc.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib/clang")
        guard let versions = try? FileManager.default.contentsOfDirectory(atPath: lib.path) else { return false }
        return versions.contains { version in
            FileManager.default.fileExists(atPath: lib.appendingPathComponent(version)
                .appendingPathComponent("lib/linux/libclang_rt.fuzzer-x86_64.a").path)
        }
    }

    @Test(.enabled(if: fuzzerAvailable, "needs swiftc with -sanitize=fuzzer (the toolchain's libFuzzer runtime)"),
          arguments: ["kbdif", "sndif", "displif", "usbif"])
    func targetRunsWithoutAFinding(protocolName: String) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-smoke-\(protocolName)-\(getpid())")
        try? FileManager.default.removeItem(at: work)
        defer { try? FileManager.default.removeItem(at: work) }
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent("Fuzz/run.sh")
        process.arguments = [protocolName, "--runs", String(Self.runs)]
        var environment = ProcessInfo.processInfo.environment
        environment["FUZZ_WORK"] = work.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "Fuzz/run.sh \(protocolName) failed:\n\(text.suffix(4000))")
        #expect(text.contains("executions: \(Self.runs)"), "\(text.suffix(2000))")
    }
}
