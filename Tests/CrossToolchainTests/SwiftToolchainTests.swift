// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DebianPackages
import Foundation
import Testing

@Suite("The toolchain's version, remembered")
struct SwiftToolchainTests {
    /// A toolchain folder whose swiftc is a script printing `text`.
    private func toolchain(printing text: String, in folder: URL) throws -> SwiftToolchain {
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for name in ["swiftc", "swift-frontend"] {
            let script = bin.appendingPathComponent(name)
            try Data("#!/bin/sh\necho '\(text)'\n".utf8).write(to: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }
        return SwiftToolchain(bin: bin)
    }

    @Test("swiftc runs once per compiler binary; a changed binary is asked again")
    func versionIsRememberedByTheCompilerBinaries() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swift-toolchain-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let remembered = folder.appendingPathComponent("planning")
        let toolchain = try toolchain(printing: "Swift version 6.3.1", in: folder)
        let runner = RecordingCommandRunner(ProcessCommandRunner())
        #expect(try toolchain.version(rememberedIn: remembered, runner: runner) == "Swift version 6.3.1")
        #expect(try toolchain.version(rememberedIn: remembered, runner: runner) == "Swift version 6.3.1")
        #expect(runner.commands.count == 1)

        _ = try self.toolchain(printing: "Swift version 6.4 (a longer line)", in: folder)
        #expect(try toolchain.version(rememberedIn: remembered, runner: runner) == "Swift version 6.4 (a longer line)")
        #expect(runner.commands.count == 2)
    }
}
