// SPDX-License-Identifier: Apache-2.0

/// The dynamic-linking facts of a little-endian ELF32 or ELF64 file: machine,
/// program interpreter (`PT_INTERP`), `DT_NEEDED`, `DT_RUNPATH`, `DT_RPATH`
/// and `DT_SONAME`. Reads `PT_DYNAMIC` first and falls back to the
/// `SHT_DYNAMIC` section. Every offset is bounds-checked: a truncated or
/// garbage file gives `RootfsAssemblyError.elfParseFailed`, never a crash.
package struct ELFFile: Sendable, Equatable {
    /// `ELFCLASS32` (1) or `ELFCLASS64` (2).
    package var elfClass: UInt8
    /// `e_machine` (62 x86_64, 183 aarch64, 40 arm, 243 riscv).
    package var machine: UInt16
    /// `e_type` (2 executable, 3 shared object or PIE).
    package var type: UInt16
    package var interpreter: String?
    package var needed: [String] = []
    package var runpath: [String] = []
    package var rpath: [String] = []
    package var soname: String?

    /// Parses `bytes`; `path` is only used in error messages.
    package init(bytes: [UInt8], path: String = "<memory>") throws(RootfsAssemblyError) {
        let reader = ELFByteReader(bytes: bytes, path: path)
        guard bytes.count >= 16, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw .elfParseFailed(path: path, reason: "no ELF magic (file of \(bytes.count) bytes)")
        }
        elfClass = bytes[4]
        guard elfClass == 1 || elfClass == 2 else {
            throw .elfParseFailed(path: path, reason: "unknown ELF class \(elfClass)")
        }
        guard bytes[5] == 1 else {
            throw .elfParseFailed(path: path, reason: "only little-endian ELF is supported (EI_DATA \(bytes[5]))")
        }
        let is64 = elfClass == 2
        type = try reader.u16(16)
        machine = try reader.u16(18)
        let phoff = is64 ? try reader.u64(32) : UInt64(try reader.u32(28))
        let shoff = is64 ? try reader.u64(40) : UInt64(try reader.u32(32))
        let phentsize = UInt64(try reader.u16(is64 ? 54 : 42))
        let phnum = UInt64(try reader.u16(is64 ? 56 : 44))
        let shentsize = UInt64(try reader.u16(is64 ? 58 : 46))
        let shnum = UInt64(try reader.u16(is64 ? 60 : 48))

        let segments = try Self.programHeaders(reader, offset: phoff, entrySize: phentsize, count: phnum, is64: is64)
        if let interp = segments.first(where: { $0.type == 3 }) {
            interpreter = try reader.cString(interp.offset, limit: interp.fileSize)
        }
        var dynamic: (offset: UInt64, size: UInt64, strtab: UInt64?, strtabSize: UInt64?)?
        if let segment = segments.first(where: { $0.type == 2 }) {
            dynamic = (segment.offset, segment.fileSize, nil, nil)
        } else if shnum > 0 {
            dynamic = try Self.dynamicSection(reader, offset: shoff, entrySize: shentsize, count: shnum, is64: is64)
        }
        guard let dynamic else { return }
        try parseDynamic(reader, dynamic: dynamic, segments: segments, is64: is64)
    }

    private mutating func parseDynamic(_ reader: ELFByteReader,
                                       dynamic: (offset: UInt64, size: UInt64, strtab: UInt64?, strtabSize: UInt64?),
                                       segments: [Segment], is64: Bool) throws(RootfsAssemblyError) {
        let entrySize: UInt64 = is64 ? 16 : 8
        var tags: [(tag: UInt64, value: UInt64)] = []
        var index: UInt64 = 0
        while index + entrySize <= dynamic.size {
            let at = dynamic.offset + index
            let tag = is64 ? try reader.u64(at) : UInt64(try reader.u32(at))
            let value = is64 ? try reader.u64(at + 8) : UInt64(try reader.u32(at + 4))
            if tag == 0 { break }
            tags.append((tag, value))
            index += entrySize
        }
        var strtabOffset = dynamic.strtab
        var strtabSize = dynamic.strtabSize
        if strtabOffset == nil, let address = tags.first(where: { $0.tag == 5 })?.value {
            guard let load = segments.first(where: { $0.type == 1 && address >= $0.address && address - $0.address < $0.fileSize }) else {
                throw .elfParseFailed(path: reader.path, reason: "DT_STRTAB address 0x\(String(address, radix: 16)) is in no PT_LOAD segment")
            }
            strtabOffset = load.offset + (address - load.address)
            strtabSize = tags.first(where: { $0.tag == 10 })?.value
        }
        guard let strtabOffset else {
            if tags.contains(where: { [1, 14, 15, 29].contains($0.tag) }) {
                throw .elfParseFailed(path: reader.path, reason: "dynamic section has names but no DT_STRTAB")
            }
            return
        }
        let limit = strtabSize ?? UInt64(reader.bytes.count)
        func string(_ offset: UInt64) throws(RootfsAssemblyError) -> String {
            guard offset < limit else {
                throw .elfParseFailed(path: reader.path, reason: "string offset \(offset) beyond DT_STRSZ \(limit)")
            }
            return try reader.cString(strtabOffset + offset, limit: limit - offset)
        }
        for (tag, value) in tags {
            switch tag {
            case 1: needed.append(try string(value))
            case 14: soname = try string(value)
            case 15: rpath += try string(value).split(separator: ":").map(String.init)
            case 29: runpath += try string(value).split(separator: ":").map(String.init)
            default: break
            }
        }
    }

    struct Segment { var type: UInt32; var offset: UInt64; var address: UInt64; var fileSize: UInt64 }

    private static func programHeaders(_ reader: ELFByteReader, offset: UInt64, entrySize: UInt64,
                                       count: UInt64, is64: Bool) throws(RootfsAssemblyError) -> [Segment] {
        guard count > 0 else { return [] }
        guard entrySize >= (is64 ? 56 : 32) else {
            throw .elfParseFailed(path: reader.path, reason: "program header entry size \(entrySize) too small")
        }
        var result: [Segment] = []
        for index in 0..<count {
            let at = offset + index * entrySize
            if is64 {
                result.append(Segment(type: try reader.u32(at), offset: try reader.u64(at + 8),
                                      address: try reader.u64(at + 16), fileSize: try reader.u64(at + 32)))
            } else {
                result.append(Segment(type: try reader.u32(at), offset: UInt64(try reader.u32(at + 4)),
                                      address: UInt64(try reader.u32(at + 8)), fileSize: UInt64(try reader.u32(at + 16))))
            }
        }
        return result
    }

    private static func dynamicSection(_ reader: ELFByteReader, offset: UInt64, entrySize: UInt64, count: UInt64,
                                       is64: Bool) throws(RootfsAssemblyError) -> (UInt64, UInt64, UInt64?, UInt64?)? {
        guard entrySize >= (is64 ? 64 : 40) else {
            throw .elfParseFailed(path: reader.path, reason: "section header entry size \(entrySize) too small")
        }
        func section(_ index: UInt64) throws(RootfsAssemblyError) -> (type: UInt32, offset: UInt64, size: UInt64, link: UInt32) {
            let at = offset + index * entrySize
            if is64 {
                return (try reader.u32(at + 4), try reader.u64(at + 24), try reader.u64(at + 32), try reader.u32(at + 40))
            }
            return (try reader.u32(at + 4), UInt64(try reader.u32(at + 16)), UInt64(try reader.u32(at + 20)), try reader.u32(at + 24))
        }
        for index in 0..<count {
            let dynamic = try section(index)
            guard dynamic.type == 6 else { continue }
            guard UInt64(dynamic.link) < count else {
                throw .elfParseFailed(path: reader.path, reason: "SHT_DYNAMIC links to section \(dynamic.link) of \(count)")
            }
            let strings = try section(UInt64(dynamic.link))
            return (dynamic.offset, dynamic.size, strings.offset, strings.size)
        }
        return nil
    }
}

/// Bounds-checked little-endian reads over a byte array.
struct ELFByteReader {
    let bytes: [UInt8]
    let path: String

    private func check(_ offset: UInt64, _ length: UInt64) throws(RootfsAssemblyError) -> Int {
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= UInt64(bytes.count) else {
            throw .elfParseFailed(path: path, reason: "read of \(length) bytes at offset \(offset) beyond end of file (\(bytes.count) bytes)")
        }
        return Int(offset)
    }

    func u16(_ offset: UInt64) throws(RootfsAssemblyError) -> UInt16 {
        let at = try check(offset, 2)
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    func u32(_ offset: UInt64) throws(RootfsAssemblyError) -> UInt32 {
        let at = try check(offset, 4)
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }

    func u64(_ offset: UInt64) throws(RootfsAssemblyError) -> UInt64 {
        let at = try check(offset, 8)
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }

    /// A NUL-terminated string starting at `offset`, at most `limit` bytes.
    func cString(_ offset: UInt64, limit: UInt64) throws(RootfsAssemblyError) -> String {
        let start = try check(offset, 0)
        let end = Int(min(UInt64(bytes.count), offset.addingReportingOverflow(limit).overflow ? UInt64(bytes.count) : offset + limit))
        guard let nul = bytes[start..<end].firstIndex(of: 0) else {
            throw .elfParseFailed(path: path, reason: "unterminated string at offset \(offset)")
        }
        return String(decoding: bytes[start..<nul], as: UTF8.self)
    }
}
