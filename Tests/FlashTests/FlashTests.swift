// SPDX-License-Identifier: Apache-2.0
import Flash
import Foundation
import ImageFormats
import Testing

@Suite("flash onto files")
struct FlashTests {
    @Test("flashing onto a new file reproduces the image, sparse, with progress up to the total")
    func plainFile() throws {
        let fixture = try FlashFixture()
        let target = fixture.path("card.img")
        var events: [FlashProgress] = []
        let report = try flash(image: fixture.image, bmap: fixture.bmap, device: target) { events.append($0) }
        #expect(fixture.contents(target) == fixture.contents(fixture.image))
        #expect(report.imageSize == fixture.imageSize)
        #expect(report.bytesWritten == 65_536 + (2 << 20) + 4096 + (1 << 20))
        var info = stat()
        #expect(stat(target, &info) == 0 && UInt64(info.st_blocks) * 512 < fixture.imageSize / 4)
        for phase in [FlashProgress.Phase.checkingImage, .writing, .verifying] {
            let done = events.filter { $0.phase == phase }.map(\.bytesDone)
            #expect(done == done.sorted() && done.last == report.bytesWritten, "phase \(phase)")
        }
    }

    @Test("an existing larger file is truncated to the image and old data is gone")
    func existingFile() throws {
        let fixture = try FlashFixture()
        let target = fixture.path("old.img")
        try Data(repeating: 0xee, count: Int(fixture.imageSize) + 4096).write(to: URL(fileURLWithPath: target))
        _ = try flash(image: fixture.image, bmap: fixture.bmap, device: target)
        #expect(fixture.contents(target) == fixture.contents(fixture.image))
    }

    @Test("the result is byte-identical to bmaptool copy", .enabled(if: FlashFixture.tool("bmaptool") != nil, "needs bmap-tools"))
    func matchesBmaptool() throws {
        let fixture = try FlashFixture()
        let ours = fixture.path("ours.img")
        let theirs = fixture.path("theirs.img")
        _ = try flash(image: fixture.image, bmap: fixture.bmap, device: ours)
        let status = try fixture.run([FlashFixture.tool("bmaptool")!, "copy", "--bmap", fixture.bmap, fixture.image, theirs])
        #expect(status == 0)
        #expect(fixture.contents(ours) == fixture.contents(theirs))
    }

    @Test("a truncated image is refused with its size, and nothing is written")
    func truncatedImage() throws {
        let fixture = try FlashFixture()
        #expect(truncate(fixture.image, off_t(fixture.imageSize - 4096)) == 0)
        let target = fixture.path("card.img")
        #expect(throws: FlashError.imageTruncated(path: fixture.image, size: fixture.imageSize - 4096, expected: fixture.imageSize)) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: target)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test("a corrupt image range is refused naming the blocks, and nothing is written")
    func rangeChecksumMismatch() throws {
        let fixture = try FlashFixture()
        try fixture.corrupt(fixture.image, at: (6 << 20) + 17)
        let target = fixture.path("card.img")
        do {
            _ = try flash(image: fixture.image, bmap: fixture.bmap, device: target)
            Issue.record("flash accepted a corrupt image")
        } catch let .imageRangeChecksumMismatch(path, first, last, offset, expected, computed) {
            #expect(path == fixture.image)
            #expect(first == 1280 && last == 1792 && offset == 5 << 20)
            #expect(expected != computed)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test("without the pre-check a corrupt range is still caught while writing")
    func rangeChecksumMismatchWhileWriting() throws {
        let fixture = try FlashFixture()
        try fixture.corrupt(fixture.image, at: 100)
        #expect(throws: FlashError.self) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: fixture.path("card.img"),
                      options: FlashOptions(verifyImageFirst: false))
        }
    }

    @Test("a bmap whose own checksum does not match is refused before anything else")
    func bmapChecksumMismatch() throws {
        let fixture = try FlashFixture()
        var text = try String(contentsOfFile: fixture.bmap, encoding: .utf8)
        text = text.replacingOccurrences(of: "<ImageSize> \(fixture.imageSize) </ImageSize>",
                                         with: "<ImageSize> \(fixture.imageSize - 512) </ImageSize>")
        try text.write(toFile: fixture.bmap, atomically: true, encoding: .utf8)
        do {
            _ = try flash(image: fixture.image, bmap: fixture.bmap, device: fixture.path("card.img"))
            Issue.record("flash accepted an edited bmap")
        } catch let .bmapFileChecksumMismatch(path, stored, computed) {
            #expect(path == fixture.bmap && stored != computed)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a missing or malformed bmap is refused")
    func badBmap() throws {
        let fixture = try FlashFixture()
        #expect(throws: FlashError.readBmapFailed(path: fixture.path("none.bmap"), errno: ENOENT)) {
            try flash(image: fixture.image, bmap: fixture.path("none.bmap"), device: fixture.path("card.img"))
        }
        try "<bmap>".write(toFile: fixture.bmap, atomically: true, encoding: .utf8)
        #expect(throws: FlashError.self) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: fixture.path("card.img"))
        }
    }

    @Test("the image itself (or a link to it) is not a flash target")
    func targetIsImage() throws {
        let fixture = try FlashFixture()
        let link = fixture.path("link.img")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.image)
        let before = fixture.contents(fixture.image)
        #expect(throws: FlashError.targetIsInput(path: link, input: fixture.image)) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: link)
        }
        #expect(fixture.contents(fixture.image) == before)
    }

    @Test("a directory is not a flash target")
    func directoryTarget() throws {
        let fixture = try FlashFixture()
        #expect(throws: FlashError.self) {
            try flash(image: fixture.image, bmap: fixture.bmap, device: fixture.folder)
        }
    }
}
