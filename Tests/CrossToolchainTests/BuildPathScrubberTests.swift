// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import Foundation
import Testing

@Suite struct BuildPathScrubberTests {
    static let swiftc = ["/opt/swift/usr/bin/swiftc", "/usr/bin/swiftc"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Compiles the same source into objects at two different paths.
    private func compileTwice(in folder: URL) throws -> (URL, URL) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = folder.appendingPathComponent("probe.swift")
        try "public func answer() -> Int { 42 }\n".write(to: source, atomically: true, encoding: .utf8)
        var objects: [URL] = []
        for place in ["one", "two/deeper"] {
            let dir = folder.appendingPathComponent(place)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let object = dir.appendingPathComponent("probe.o")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.swiftc!)
            process.arguments = ["-c", "-O", "-module-name", "probe", source.path, "-o", object.path]
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0)
            objects.append(object)
        }
        return (objects[0], objects[1])
    }

    @Test(.enabled(if: swiftc != nil, "no swiftc"))
    func objectsCompiledToDifferentPathsAgreeOnceScrubbed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scrub-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (one, two) = try compileTwice(in: folder)
        // The compiler's module hash depends on the output path: the premise of the scrubber.
        #expect(try Data(contentsOf: one) != Data(contentsOf: two))
        #expect(try BuildPathScrubber.scrub(one) == [".swift_modhash"])
        #expect(try BuildPathScrubber.scrub(two) == [".swift_modhash"])
        #expect(try Data(contentsOf: one) == Data(contentsOf: two))
        // Scrubbing is idempotent and keeps the size.
        let before = try Data(contentsOf: one)
        try BuildPathScrubber.scrub(one)
        #expect(try Data(contentsOf: one) == before)
    }

    @Test func notAnELFFileIsRefusedWithItsPath() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scrub-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(repeating: 0x41, count: 100).write(to: file)
        #expect {
            try BuildPathScrubber.scrub(file)
        } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("not an ELF file")
        }
    }

    @Test func truncatedSectionTableIsAnErrorNotACrash() throws {
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes[0...5] = [0x7f, 0x45, 0x4c, 0x46, 2, 1]
        // e_shoff far beyond the end, one section of 64 bytes.
        bytes[0x28] = 0xff; bytes[0x29] = 0xff
        bytes[0x3a] = 64; bytes[0x3c] = 1
        #expect(throws: BuildPathScrubber.ScrubError.self) { try BuildPathScrubber.scrub(&bytes) }
    }
}
