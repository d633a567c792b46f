// SPDX-License-Identifier: Apache-2.0
import Foundation
import ImageFormats

/// A temporary folder holding a sparse image and its bmap.
final class FlashFixture {
    let folder: String
    let image: String
    let bmap: String
    let imageSize: UInt64

    /// An image of `size` bytes with pseudo-random data at `dataRanges`
    /// (byte offsets) and holes elsewhere; its bmap is made from the holes.
    init(size: UInt64 = 64 << 20, dataRanges: [Range<UInt64>] = [0..<65_536, (5 << 20)..<(7 << 20) + 1234, (63 << 20)..<(64 << 20)]) throws {
        folder = NSTemporaryDirectory() + "driverdom-flash-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        image = folder + "/disk.img"
        bmap = folder + "/disk.bmap"
        imageSize = size
        let file = try PositionalFile(path: image, flags: O_RDWR | O_CREAT | O_TRUNC)
        try file.truncate(to: size)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for range in dataRanges {
            let bytes = (0..<range.count).map { _ -> UInt8 in
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return UInt8(truncatingIfNeeded: state)
            }
            try file.write(bytes, at: range.lowerBound)
        }
        try Data(Bmap.create(imagePath: image).xml().utf8).write(to: URL(fileURLWithPath: bmap))
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func path(_ name: String) -> String { folder + "/" + name }

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// Flips one byte of a file in place.
    func corrupt(_ path: String, at offset: UInt64) throws {
        let file = try PositionalFile(path: path, flags: O_RDWR)
        var byte: [UInt8] = [0]
        _ = try byte.withUnsafeMutableBytes { try file.read(into: $0, at: offset) }
        try file.write([byte[0] ^ 0xff], at: offset)
    }

    static func tool(_ name: String) -> String? {
        ["/usr/bin", "/usr/sbin", "/bin", "/sbin"].map { $0 + "/" + name }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
