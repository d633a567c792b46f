// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Removes what ties a linked binary to the folder it was compiled in.
///
/// Swift's compiler writes a `.swift_modhash` section into every object: a hash
/// of the LLVM module that the driver uses to skip unchanged code generation.
/// The hash covers the object's output path, which lies in the build cache, so
/// two builds from caches in different folders would link different bytes while
/// every instruction and constant is the same. Nothing reads the section at run
/// time; zeroing it makes the binary depend only on its sources.
package enum BuildPathScrubber {
    /// Sections whose contents are build-path dependent and unused at run time.
    package static let sections: Set<String> = [".swift_modhash"]

    /// Zeroes `sections` in the ELF file at `url` in place; returns the names zeroed.
    @discardableResult
    package static func scrub(_ url: URL) throws -> [String] {
        var bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw CrossToolchainError.stripFailed(binary: url.path, output: "cannot read it: \(error.localizedDescription)")
        }
        let zeroed: [String]
        do {
            zeroed = try scrub(&bytes)
        } catch let reason as ScrubError {
            throw CrossToolchainError.stripFailed(binary: url.path, output: reason.description)
        }
        if zeroed.isEmpty { return [] }
        do {
            try Data(bytes).write(to: url)
        } catch {
            throw CrossToolchainError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
        return zeroed
    }

    /// Why a file could not be scrubbed.
    package struct ScrubError: Error, Equatable, CustomStringConvertible {
        package var description: String
    }

    /// Zeroes `sections` in the ELF image `bytes` (32 or 64 bit, little endian).
    package static func scrub(_ bytes: inout [UInt8]) throws -> [String] {
        guard bytes.count >= 52, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw ScrubError(description: "not an ELF file")
        }
        guard bytes[5] == 1 else { throw ScrubError(description: "big-endian ELF is not supported") }
        let is64 = bytes[4] == 2
        func read(_ offset: Int, _ size: Int) throws -> Int {
            guard offset >= 0, size <= 8, offset + size <= bytes.count else {
                throw ScrubError(description: "ELF header field at offset \(offset) lies beyond the file's \(bytes.count) bytes")
            }
            var value: UInt64 = 0
            for index in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
            guard value <= UInt64(Int.max) else { throw ScrubError(description: "ELF field at offset \(offset) is too large") }
            return Int(value)
        }
        let sectionTable = try read(is64 ? 0x28 : 0x20, is64 ? 8 : 4)
        let entrySize = try read(is64 ? 0x3a : 0x2e, 2)
        let count = try read(is64 ? 0x3c : 0x30, 2)
        let namesIndex = try read(is64 ? 0x3e : 0x32, 2)
        if sectionTable == 0 || count == 0 { return [] }
        guard entrySize >= (is64 ? 64 : 40), namesIndex < count else {
            throw ScrubError(description: "section header table is malformed (entry size \(entrySize), names index \(namesIndex) of \(count))")
        }
        func header(_ index: Int) throws -> (name: Int, type: Int, offset: Int, size: Int) {
            let base = sectionTable + index * entrySize
            if is64 {
                return (try read(base, 4), try read(base + 4, 4), try read(base + 0x18, 8), try read(base + 0x20, 8))
            }
            return (try read(base, 4), try read(base + 4, 4), try read(base + 0x10, 4), try read(base + 0x14, 4))
        }
        let names = try header(namesIndex)
        func name(at offset: Int) -> String {
            var end = names.offset + offset
            guard end >= 0, end < bytes.count else { return "" }
            let start = end
            while end < bytes.count, end < names.offset + names.size, bytes[end] != 0 { end += 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        var zeroed: [String] = []
        for index in 0..<count {
            let section = try header(index)
            let sectionName = name(at: section.name)
            // SHT_NOBITS (8) has no bytes in the file.
            guard sections.contains(sectionName), section.type != 8, section.size > 0 else { continue }
            guard section.offset + section.size <= bytes.count else {
                throw ScrubError(description: "section \(sectionName) (offset \(section.offset), \(section.size) bytes) lies beyond the file")
            }
            for position in section.offset..<(section.offset + section.size) { bytes[position] = 0 }
            zeroed.append(sectionName)
        }
        return zeroed
    }
}
