// SPDX-License-Identifier: Apache-2.0
import DebianPackages
import Foundation

/// The host Swift toolchain that cross-compiles: swiftc in Embedded mode, clang, lld.
package struct SwiftToolchain: Equatable, Sendable {
    /// Folder holding `swift`, `swiftc`, `clang`, `ld.lld`, `llvm-objcopy`.
    package var bin: URL

    package init(bin: URL) { self.bin = bin }

    /// The toolchain whose `swiftc` comes first in `PATH`.
    package static func fromPath(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SwiftToolchain {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let swiftc = URL(fileURLWithPath: String(folder)).appendingPathComponent("swiftc")
            if FileManager.default.isExecutableFile(atPath: swiftc.path) {
                return SwiftToolchain(bin: swiftc.resolvingSymlinksInPath().deletingLastPathComponent())
            }
        }
        throw CrossToolchainError.toolchainIncomplete(missing: "swiftc", toolchain: path)
    }

    /// Folder of the Embedded Swift libraries for `triple`.
    package func embeddedLibraries(for triple: String) -> URL {
        bin.deletingLastPathComponent().appendingPathComponent("lib/swift/embedded/\(triple)")
    }

    /// Path of tool `name` in the toolchain.
    package func tool(_ name: String) -> URL { bin.appendingPathComponent(name) }

    /// Checks that the toolchain can build for `architecture`.
    package func validate(for architecture: TargetArchitecture) throws {
        for tool in ["swift", "swiftc", "clang", "ld.lld", "llvm-objcopy"]
        where !FileManager.default.isExecutableFile(atPath: self.tool(tool).path) {
            throw CrossToolchainError.toolchainIncomplete(missing: tool, toolchain: bin.path)
        }
        let tables = embeddedLibraries(for: architecture.swiftTriple).appendingPathComponent("libswiftUnicodeDataTables.a")
        guard FileManager.default.fileExists(atPath: tables.path) else {
            throw CrossToolchainError.toolchainIncomplete(missing: tables.path, toolchain: bin.path)
        }
    }

    /// `swiftc --version` output, remembered in `folder` by the compiler binaries' paths,
    /// sizes and modification times (running swiftc costs a no-op build ~0.15 s).
    package func version(rememberedIn folder: URL, runner: any CommandRunning = ProcessCommandRunner()) throws -> String {
        var stamp = ""
        for name in ["swiftc", "swift-frontend"] {
            let path = tool(name).resolvingSymlinksInPath().path
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            stamp += "\(path) \(size) \(modified)\n"
        }
        let remembered = folder.appendingPathComponent("swiftc-version-" + FileDigest.sha256(Data(stamp.utf8)).prefix(32))
        if let text = try? String(contentsOf: remembered, encoding: .utf8), !text.isEmpty { return text }
        let text = try version(runner: runner)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? text.write(to: remembered, atomically: true, encoding: .utf8)
        return text
    }

    /// `swiftc --version` output: part of every cache key for compiled code.
    package func version(runner: any CommandRunning = ProcessCommandRunner()) throws -> String {
        let output = try runner.run(Command([tool("swiftc").path, "--version"]))
        return (output.text + output.standardError).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
