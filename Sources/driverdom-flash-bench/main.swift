// SPDX-License-Identifier: Apache-2.0
// Helper of Benchmarks/flash.sh: makes a mostly-empty sparse disk image,
// writes its bmap, and flashes with the Flash library, printing timings.
import Flash
import Foundation
import ImageFormats

let usage = """
    usage: driverdom-flash-bench make-image IMAGE SIZE_MIB DATA_MIB RANGES
           driverdom-flash-bench bmap IMAGE BMAP
           driverdom-flash-bench flash IMAGE BMAP TARGET [--no-verify]
    """

/// Fills `count` bytes at `offset` with xorshift data (never all-zero blocks).
func fill(_ file: PositionalFile, offset: UInt64, count: Int, seed: inout UInt64) throws {
    var words = [UInt64](repeating: 0, count: count / 8)
    for index in words.indices {
        seed ^= seed << 13
        seed ^= seed >> 7
        seed ^= seed << 17
        words[index] = seed
    }
    try words.withUnsafeBytes { try file.write($0, at: offset) }
}

func run(_ arguments: [String]) throws -> Int32 {
    switch arguments.first {
    case "make-image" where arguments.count == 5:
        guard let size = UInt64(arguments[2]), let data = UInt64(arguments[3]), let ranges = UInt64(arguments[4]),
              ranges > 0, data < size else { break }
        let file = try PositionalFile(path: arguments[1], flags: O_RDWR | O_CREAT | O_TRUNC)
        try file.truncate(to: size << 20)
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        let perRange = (data << 20) / ranges
        let stride = (size << 20) / ranges
        for index in 0..<ranges {
            var done: UInt64 = 0
            while done < perRange {
                let chunk = Int(min(4 << 20, perRange - done))
                try fill(file, offset: index * stride + done, count: chunk, seed: &seed)
                done += UInt64(chunk)
            }
        }
        try file.synchronize()
        return 0
    case "bmap" where arguments.count == 3:
        let bmap = try Bmap.create(imagePath: arguments[1])
        try Data(bmap.xml().utf8).write(to: URL(fileURLWithPath: arguments[2]))
        print("bmap: \(bmap.mappedBlocksCount) of \(bmap.blocksCount) blocks mapped in \(bmap.ranges.count) ranges")
        return 0
    case "flash" where arguments.count == 4 || (arguments.count == 5 && arguments[4] == "--no-verify"):
        let options = FlashOptions(verifyTarget: arguments.count == 4)
        let start = Date()
        let report = try flash(image: arguments[1], bmap: arguments[2], device: arguments[3], options: options)
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "driverdom flash: %.3f s total (write %.3f s, read-back verify %.3f s), %.1f MB mapped",
                     seconds, report.writeSeconds, report.verifySeconds, Double(report.bytesWritten) / 1e6))
        return 0
    default:
        break
    }
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    return 2
}

do {
    exit(try run(Array(CommandLine.arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("driverdom-flash-bench: \(error)\n".utf8))
    exit(1)
}
