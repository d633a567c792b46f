// SPDX-License-Identifier: Apache-2.0
import DebianPackages
import Foundation

/// A Swift SDK bundle generated in the build cache that makes SwiftPM compile the
/// package's device modules in Embedded mode for one target and link them against a
/// Debian sysroot with lld:
///
///     <cache>/sdks/<arch>-<key prefix>/driverdom-<arch>.artifactbundle/
///         info.json
///         driverdom-<arch>/swift-sdk.json   (triple → sysroot, toolset)
///         driverdom-<arch>/toolset.json     (Embedded flags, link triple, lld, libs)
///
/// Use with `swift build --swift-sdks-path <bundlesFolder> --swift-sdk <name>`.
/// Embedded flags live here, not in Package.swift, so host builds stay normal Swift.
package struct SwiftSDK: Equatable, Sendable {
    /// Bumped whenever the generated files change shape, so SwiftPM never sees an edited SDK.
    package static let layoutVersion = 1
    /// Folder to pass as `--swift-sdks-path`.
    package var bundlesFolder: URL
    /// Name to pass as `--swift-sdk`.
    package var name: String
    package var sysroot: Sysroot
    /// SHA256 over the SDK files' contents (and so the sysroot key, flags and toolchain path).
    package var key: String

    /// The Embedded-mode code generation flags every cross compile uses. Build steps
    /// key their cache entries on them (see `PlanInputResolver.compileFlags`), so a
    /// change here rebuilds the binaries instead of reusing ones made with other flags.
    /// `-Osize` (after SwiftPM's release `-O`, so it wins) makes the backends and the
    /// init smaller than `-O` (issue 18; the table in Benchmarks/results has the sizes).
    package static let embeddedFlags = ["-enable-experimental-feature", "Embedded", "-wmo", "-Osize",
                                       "-Xfrontend", "-function-sections"]
    /// The fixed part of `linkerFlags` (also part of the compile steps' keys).
    /// `-z pack-relative-relocs`: the relative relocations of a PIE as a DT_RELR
    /// bitmap instead of 24-byte RELA entries (glibc 2.36, Debian 12's, reads them).
    package static let fixedLinkerFlags = ["-lswiftUnicodeDataTables", "-lm", "--gc-sections", "-z", "pack-relative-relocs"]

    /// Flags for `swiftc` (the Embedded mode and how to reach the sysroot's C headers and linker).
    package static func swiftFlags(_ sysroot: Sysroot) -> [String] {
        var flags = embeddedFlags
        for (option, value) in cFlags(sysroot).adjacentOptions() {
            flags += ["-Xcc", option] + (value.map { ["-Xcc", $0] } ?? [])
        }
        flags += ["-Xclang-linker", "--target=\(sysroot.architecture.linkTriple)", "-use-ld=lld"]
        return flags
    }

    /// Flags for clang compiling the C shim modules.
    package static func cFlags(_ sysroot: Sysroot) -> [String] {
        let include = sysroot.path.appendingPathComponent("usr/include").path
        return ["-isystem", include + "/" + sysroot.architecture.multiarch, "-isystem", include,
                "-D__linux__", "-D__unix__", "-ffunction-sections", "-fdata-sections"]
            + sysroot.architecture.abiFlags
    }

    /// Flags for the link: the Embedded runtime's Unicode tables, libm, unused-section
    /// removal, packed relative relocations.
    package static func linkerFlags(_ sysroot: Sysroot, toolchain: SwiftToolchain) -> [String] {
        ["-L\(toolchain.embeddedLibraries(for: sysroot.architecture.swiftTriple).path)"] + fixedLinkerFlags
    }

    /// Writes (or reuses) the SDK bundle for `sysroot` under `<cache>/sdks`.
    package static func generate(in cache: URL, sysroot: Sysroot, toolchain: SwiftToolchain) throws -> SwiftSDK {
        try toolchain.validate(for: sysroot.architecture)
        let arch = sysroot.architecture
        let name = "driverdom-\(arch.debian)"
        let info = json([
            "schemaVersion": "1.0",
            "artifacts": [name: ["type": "swiftSDK", "version": "\(layoutVersion)",
                                 "variants": [["path": name]]]],
        ])
        let sdk = json([
            "schemaVersion": "4.0",
            "targetTriples": [arch.swiftTriple: ["sdkRootPath": sysroot.path.path, "toolsetPaths": ["toolset.json"]]],
        ])
        let toolset = json([
            "schemaVersion": "1.0",
            "rootPath": toolchain.bin.path,
            "swiftCompiler": ["extraCLIOptions": swiftFlags(sysroot)],
            "cCompiler": ["extraCLIOptions": cFlags(sysroot)],
            "linker": ["extraCLIOptions": linkerFlags(sysroot, toolchain: toolchain)],
        ])
        let key = FileDigest.sha256(info + sdk + toolset)
        let folder = cache.appendingPathComponent("sdks/\(arch.debian)-\(key.prefix(16))", isDirectory: true)
        let result = SwiftSDK(bundlesFolder: folder, name: name, sysroot: sysroot, key: key)
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.path) { return result }
        let prefix = ".tmp-\(arch.debian)-\(key.prefix(16))-"
        AbandonedFiles.remove(in: cache.appendingPathComponent("sdks"), prefix: prefix)
        let temporary = cache.appendingPathComponent("sdks/" + prefix + "\(getpid())")
        let bundle = temporary.appendingPathComponent("\(name).artifactbundle")
        do {
            try? fm.removeItem(at: temporary)
            try fm.createDirectory(at: bundle.appendingPathComponent(name), withIntermediateDirectories: true)
            try info.write(to: bundle.appendingPathComponent("info.json"))
            try sdk.write(to: bundle.appendingPathComponent("\(name)/swift-sdk.json"))
            try toolset.write(to: bundle.appendingPathComponent("\(name)/toolset.json"))
        } catch {
            throw CrossToolchainError.writeFailed(path: temporary.path, reason: "\(error)")
        }
        if rename(temporary.path, folder.path) != 0 {
            try? fm.removeItem(at: temporary)
            guard fm.fileExists(atPath: folder.path) else {
                throw CrossToolchainError.writeFailed(path: folder.path, reason: String(cString: strerror(errno)))
            }
        }
        return result
    }

    private static func json(_ object: [String: Any]) -> Data {
        // Dictionaries of strings and arrays always serialize.
        (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys,
                                                                        .withoutEscapingSlashes])) ?? Data()
    }
}

extension Array where Element == String {
    /// Pairs each option with the value that follows it when the option takes one
    /// (`-isystem DIR`); single-word options (`-DX`, `-mfloat-abi=hard`) stand alone.
    func adjacentOptions() -> [(String, String?)] {
        var pairs: [(String, String?)] = []
        var index = 0
        while index < count {
            if self[index] == "-isystem", index + 1 < count {
                pairs.append((self[index], self[index + 1]))
                index += 2
            } else {
                pairs.append((self[index], nil))
                index += 1
            }
        }
        return pairs
    }
}
