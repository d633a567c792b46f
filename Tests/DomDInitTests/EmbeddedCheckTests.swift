// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Foundation
import Testing

/// Path of a tool on PATH, or nil.
func toolPath(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let candidate = String(directory) + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

let embeddedToolsPresent: Bool = {
    guard let swiftc = toolPath("swiftc"), toolPath("clang") != nil, toolPath("ld.lld") != nil else { return false }
    let library = URL(fileURLWithPath: swiftc).deletingLastPathComponent()
        .appendingPathComponent("../lib/swift/embedded/x86_64-unknown-linux-gnu").path
    return FileManager.default.fileExists(atPath: library)
}()

@Suite("Embedded Swift build of the init")
struct EmbeddedCheckTests {
    @Test("DomDInit and driverdom-init compile and link in Embedded mode",
          .enabled(if: embeddedToolsPresent, "needs swiftc with the x86_64 embedded stdlib, clang and ld.lld on PATH"))
    func embeddedBuild() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("embedded-check.sh")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-init-embedded-\(getpid())")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script.path, output.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "embedded-check.sh failed:\n\(log)")
        #expect(FileManager.default.isExecutableFile(atPath: output.appendingPathComponent("driverdom-init").path))
    }
}
