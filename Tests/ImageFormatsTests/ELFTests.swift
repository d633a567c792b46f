// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly
import Testing

@Suite("ELF reader and sysroot resolver")
struct ELFTests {
    @Test("/bin/ls on the host: interpreter and libc", .enabled(if: FileManager.default.fileExists(atPath: "/bin/ls")))
    func hostBinary() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: "/bin/ls")))
        let elf = try ELFFile(bytes: bytes, path: "/bin/ls")
        #expect(elf.needed.contains("libc.so.6"))
        #expect(elf.interpreter?.contains("ld-linux") == true)
        let resolved = try ELFDependencyResolver(sysroot: "/").resolve(executables: ["/bin/ls"])
        let libc = try #require(resolved.libraries.first { $0.name == "libc.so.6" })
        #expect(FileManager.default.fileExists(atPath: libc.hostPath))
        #expect(resolved.libraries.contains { $0.name == elf.interpreter })
    }

    @Test("constructed ELF64 and ELF32 files", arguments: [true, false])
    func constructed(is64: Bool) throws {
        let bytes = ELFBuilder(is64: is64, machine: is64 ? 183 : 40, interpreter: "/lib/ld-test.so.1",
                               needed: ["libfoo.so.1", "libbar.so.2"], runpath: "$ORIGIN/../lib:/opt/lib", soname: "libme.so.1").bytes()
        let elf = try ELFFile(bytes: bytes)
        #expect(elf.elfClass == (is64 ? 2 : 1))
        #expect(elf.machine == (is64 ? 183 : 40))
        #expect(elf.interpreter == "/lib/ld-test.so.1")
        #expect(elf.needed == ["libfoo.so.1", "libbar.so.2"])
        #expect(elf.runpath == ["$ORIGIN/../lib", "/opt/lib"])
        #expect(elf.soname == "libme.so.1")
    }

    @Test("every truncation and corruption of a real binary gives an error or a result, never a crash",
          .enabled(if: FileManager.default.fileExists(atPath: "/bin/ls")))
    func robustness() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: "/bin/ls")))
        var errors = 0
        for length in stride(from: 0, to: min(bytes.count, 20_000), by: 7) {
            do { _ = try ELFFile(bytes: Array(bytes.prefix(length))) } catch { errors += 1 }
        }
        #expect(errors > 0)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var corrupted = Array(bytes.prefix(8192))
            for _ in 0..<16 { corrupted[Int.random(in: 16..<corrupted.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? ELFFile(bytes: corrupted)
            _ = try? ELFFile(bytes: (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        #expect(throws: RootfsAssemblyError.self) { try ELFFile(bytes: [0x7f, 0x45, 0x4c, 0x46, 2, 2, 1] + Array(repeating: 0, count: 60)) }
    }

    @Test("resolution follows RUNPATH, multiarch folders and symlinks inside the sysroot, transitively")
    func sysroot() throws {
        let folder = try TemporaryFolder()
        let root = folder.file("sysroot")
        func elf(_ needed: [String], runpath: String? = nil, interpreter: String? = nil, machine: UInt16 = 183) -> [UInt8] {
            ELFBuilder(is64: true, machine: machine, interpreter: interpreter, needed: needed, runpath: runpath, soname: nil).bytes()
        }
        try FileManager.default.createDirectory(atPath: root + "/usr/lib/aarch64-linux-gnu", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/lib", withDestinationPath: "usr/lib")
        _ = try folder.write("sysroot/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1", elf([]))
        try FileManager.default.createSymbolicLink(atPath: root + "/usr/lib/ld-linux-aarch64.so.1",
                                                   withDestinationPath: "aarch64-linux-gnu/ld-linux-aarch64.so.1")
        _ = try folder.write("sysroot/usr/lib/aarch64-linux-gnu/libc.so.6", elf([]))
        _ = try folder.write("sysroot/usr/lib/aarch64-linux-gnu/libasound.so.2.0.0", elf(["libc.so.6"]))
        try FileManager.default.createSymbolicLink(atPath: root + "/usr/lib/aarch64-linux-gnu/libasound.so.2",
                                                   withDestinationPath: "/usr/lib/aarch64-linux-gnu/libasound.so.2.0.0")
        _ = try folder.write("sysroot/opt/app/lib/libprivate.so", elf(["libasound.so.2"]))
        // A same-named library of the wrong machine earlier in the path is skipped, as ld.so does.
        _ = try folder.write("sysroot/opt/app/lib/libc.so.6", elf([], machine: 62))
        let program = try folder.write("sndbe", elf(["libprivate.so", "libc.so.6"], runpath: "/opt/app/lib",
                                                    interpreter: "/lib/ld-linux-aarch64.so.1"))
        let result = try ELFDependencyResolver(sysroot: root).resolve(executables: [program])
        #expect(result.libraries.map(\.canonicalPath) == [
            "/opt/app/lib/libprivate.so",
            "/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1",
            "/usr/lib/aarch64-linux-gnu/libasound.so.2.0.0",
            "/usr/lib/aarch64-linux-gnu/libc.so.6",
        ])
        #expect(result.symlinks.contains(SysrootSymlink(path: "/lib", target: "usr/lib")))
        #expect(result.symlinks.contains(SysrootSymlink(path: "/usr/lib/ld-linux-aarch64.so.1",
                                                        target: "aarch64-linux-gnu/ld-linux-aarch64.so.1")))
        #expect(result.symlinks.contains(SysrootSymlink(path: "/usr/lib/aarch64-linux-gnu/libasound.so.2",
                                                        target: "/usr/lib/aarch64-linux-gnu/libasound.so.2.0.0")))
        var tree = StagedTree()
        try result.stage(into: &tree, origin: "layer:sndif")
        #expect(tree.entry(at: "/lib")?.kind == .symlink(target: "usr/lib"))
        #expect(tree.entry(at: "/usr/lib/aarch64-linux-gnu/libc.so.6") != nil)

        let missing = try folder.write("broken", elf(["libnothere.so.9"]))
        #expect(throws: RootfsAssemblyError.self) { try ELFDependencyResolver(sysroot: root).resolve(executables: [missing]) }
    }
}

/// Builds a minimal little-endian ELF file: header, PT_INTERP, PT_LOAD over
/// the whole file, PT_DYNAMIC, and a string table.
struct ELFBuilder {
    var is64: Bool
    var machine: UInt16
    var interpreter: String?
    var needed: [String]
    var runpath: String?
    var soname: String?

    func bytes() -> [UInt8] {
        let headerSize = is64 ? 64 : 52
        let phSize = is64 ? 56 : 32
        let phCount = 3
        var strings: [UInt8] = [0]
        func add(_ text: String) -> UInt64 {
            let offset = UInt64(strings.count)
            strings += Array(text.utf8) + [0]
            return offset
        }
        var dynamic: [(UInt64, UInt64)] = needed.map { (1, add($0)) }
        if let runpath { dynamic.append((29, add(runpath))) }
        if let soname { dynamic.append((14, add(soname))) }
        let interpBytes: [UInt8] = interpreter.map { Array($0.utf8) + [UInt8(0)] } ?? []
        let interpOffset = headerSize + phSize * phCount
        let stringsOffset = interpOffset + interpBytes.count
        let dynamicOffset = (stringsOffset + strings.count + 7) & ~7
        let baseAddress: UInt64 = 0x400000
        dynamic += [(5, baseAddress + UInt64(stringsOffset)), (10, UInt64(strings.count)), (0, 0)]
        let dynamicSize = dynamic.count * (is64 ? 16 : 8)
        let total = dynamicOffset + dynamicSize
        var out = [UInt8](repeating: 0, count: total)
        func put(_ value: UInt64, at offset: Int, size: Int) {
            for index in 0..<size { out[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        func word(_ value: UInt64, at offset: Int) { put(value, at: offset, size: is64 ? 8 : 4) }
        out.replaceSubrange(0..<7, with: [0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1])
        put(3, at: 16, size: 2)
        put(UInt64(machine), at: 18, size: 2)
        put(1, at: 20, size: 4)
        word(UInt64(headerSize), at: is64 ? 32 : 28)
        put(UInt64(headerSize), at: is64 ? 52 : 40, size: 2)
        put(UInt64(phSize), at: is64 ? 54 : 42, size: 2)
        put(UInt64(phCount), at: is64 ? 56 : 44, size: 2)
        put(UInt64(is64 ? 64 : 40), at: is64 ? 58 : 46, size: 2)
        let segments: [(UInt32, Int, UInt64, Int)] = [
            (interpreter == nil ? 0 : 3, interpOffset, baseAddress + UInt64(interpOffset), interpBytes.count),
            (1, 0, baseAddress, total),
            (2, dynamicOffset, baseAddress + UInt64(dynamicOffset), dynamicSize),
        ]
        for (index, segment) in segments.enumerated() {
            let at = headerSize + index * phSize
            put(UInt64(segment.0), at: at, size: 4)
            if is64 {
                put(UInt64(segment.1), at: at + 8, size: 8)
                put(segment.2, at: at + 16, size: 8)
                put(UInt64(segment.3), at: at + 32, size: 8)
            } else {
                put(UInt64(segment.1), at: at + 4, size: 4)
                put(segment.2, at: at + 8, size: 4)
                put(UInt64(segment.3), at: at + 16, size: 4)
            }
        }
        out.replaceSubrange(interpOffset..<interpOffset + interpBytes.count, with: interpBytes)
        out.replaceSubrange(stringsOffset..<stringsOffset + strings.count, with: strings)
        for (index, entry) in dynamic.enumerated() {
            let at = dynamicOffset + index * (is64 ? 16 : 8)
            word(entry.0, at: at)
            word(entry.1, at: at + (is64 ? 8 : 4))
        }
        return out
    }
}
