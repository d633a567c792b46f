// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import Testing

@Suite struct RepositoryTests {
    @Test func findsTheRepositoryAboveAnImage() throws {
        let found = try Repository.find(from: Fixtures.broken + "/Images/valid.yaml")
        #expect(found.root == Fixtures.broken)
        let fromFolder = try Repository.find(from: Fixtures.broken + "/Layers/kbdif")
        #expect(fromFolder.root == Fixtures.broken)
    }

    @Test func reportsWhenNoRepositoryIsAbove() {
        #expect(throws: ConfigError.repositoryNotFound(start: "/proc/self")) {
            try Repository.find(from: "/proc/self", builtin: nil)
        }
    }

    @Test func listsBoardsAndLayersSorted() {
        let repository = Repository(root: Fixtures.broken)
        #expect(repository.boardNames().first == "board-arch")
        #expect(repository.boardNames().contains("rcar-h3-salvator-xs"))
        #expect(repository.layerNames() == repository.layerNames().sorted())
        #expect(Set(["sndif", "displif", "kbdif", "usbif"]).isSubset(of: repository.layerNames()))
    }

    @Test func namesAMissingBoardOrLayer() {
        let repository = Repository(root: Fixtures.broken)
        #expect(throws: ConfigError.notFound(kind: "board", name: "nope", path: Fixtures.broken + "/Boards/nope.yaml")) {
            try repository.loadBoard(named: "nope")
        }
        #expect(throws: ConfigError.notFound(kind: "layer", name: "nope",
                                             path: Fixtures.broken + "/Layers/nope/layer.yaml")) {
            try repository.loadLayer(named: "nope")
        }
    }

    @Test func reportsAnUnreadableImage() {
        let repository = Repository(root: Fixtures.broken)
        #expect(throws: ConfigError.readFailed(path: "/nonexistent/image.yaml", reason: "no such file or directory")) {
            try repository.loadImage(at: "/nonexistent/image.yaml")
        }
    }

    @Test func reportsAnImageThatIsNotText() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("driverdom-binary-\(ProcessInfo.processInfo.processIdentifier).yaml").path
        try Data([0xff, 0xfe, 0x00, 0x41]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ConfigError.readFailed(path: path, reason: "not valid UTF-8 text")) {
            try Repository(root: Fixtures.broken).loadImage(at: path)
        }
        #expect(throws: ConfigError.readFailed(path: Fixtures.broken, reason: "is a directory")) {
            try Repository(root: Fixtures.broken).loadImage(at: Fixtures.broken)
        }
    }

    @Test func loadsTheFixtureBoardWithPassthroughFacts() throws {
        let board = try Repository(root: Fixtures.broken).loadBoard(named: "rcar-h3-salvator-xs")
        #expect(board.boot.loader == .uBoot)
        #expect(board.boot.bootDevice == "mmc 0:1")
        #expect(board.dtb == "renesas/r8a77951-salvator-xs.dtb")
        #expect(board.ram == MemoryRegion(base: 0x4800_0000, size: ByteCount(bytes: 896 << 20)))
        #expect(board.moreRAM.map(\.base) == [0x5_0000_0000, 0x6_0000_0000, 0x7_0000_0000])
        #expect(board.totalRAM == ByteCount(bytes: 3968 << 20))
        let sound = try #require(board.device(id: "sound0")?.passthrough)
        #expect(sound.dtPath == "/soc/sound@ec500000")
        #expect(sound.compatible == "renesas,rcar_sound-r8a7795")
        #expect(sound.reg.first == RegRange(address: 0xec50_0000, size: 0x1000))
        #expect(sound.interrupts == [336])
        #expect(sound.iommu)
        #expect(board.device(id: "keys0")?.passthrough?.iommu == false)
    }
}
