// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing
import XenConfig

/// The real boards' addresses, interrupts, IOMMU facts and paths must be the ones
/// in the upstream Linux device-tree excerpts kept in Fixtures/upstream (each
/// cites the upstream file and commit it was taken from).
@Suite("Boards match their upstream device trees")
struct UpstreamFactsTests {
    struct Source: CustomTestStringConvertible, Sendable {
        var board: String
        var socFiles: [String]
        var boardFile: String
        var testDescription: String { board }
    }

    static let sources = [
        Source(board: "rcar-h3-salvator-xs", socFiles: ["r8a77951.dtsi", "salvator-common.dtsi"],
               boardFile: "r8a77951-salvator-xs.dts"),
        Source(board: "imx8mq-evk", socFiles: ["imx8mq.dtsi"], boardFile: "imx8mq-evk.dts"),
    ]

    func tree(_ files: [String]) throws -> DeviceTreeSource {
        try DeviceTreeSource(try files.map { try TestSupport.fixture("upstream/" + $0) }.joined(separator: "\n"))
    }

    /// `reg` as (address, size) pairs, using the parent's #address-cells/#size-cells.
    func regPairs(of node: DeviceTreeSource.Node, in tree: DeviceTreeSource) throws -> [RegRange] {
        let parentPath = String(node.path[..<(node.path.lastIndex(of: "/") ?? node.path.startIndex)])
        let parent = try #require(tree.nodesByPath[parentPath.isEmpty ? "/" : parentPath])
        let addressCells = Int(DeviceTreeSource.number(parent.cells("#address-cells").first ?? "2") ?? 2)
        let sizeCells = Int(DeviceTreeSource.number(parent.cells("#size-cells").first ?? "1") ?? 1)
        let cells = try node.cells("reg").map { try #require(DeviceTreeSource.number($0), "reg cell \($0)") }
        let width = addressCells + sizeCells
        #expect(cells.count % width == 0, "reg of \(node.path) is not a whole number of entries")
        func join(_ slice: ArraySlice<UInt64>) -> UInt64 { slice.reduce(0) { ($0 << 32) | $1 } }
        return stride(from: 0, to: cells.count - cells.count % width, by: width).map { start in
            RegRange(address: join(cells[start..<start + addressCells]),
                     size: join(cells[start + addressCells..<start + width]))
        }
    }

    /// Every `GIC_SPI n` in the node's and its sub-nodes' `interrupts`, in document order.
    func spis(of node: DeviceTreeSource.Node) -> [Int] {
        node.subtree.flatMap { child -> [Int] in
            let cells = child.cells("interrupts")
            return cells.indices.compactMap { index in
                cells[index] == "GIC_SPI" && index + 1 < cells.count ? Int(cells[index + 1]) : nil
            }
        }
    }

    @Test("every passthrough device and every node it needs is the upstream node", arguments: sources)
    func passthroughDevices(source: Source) throws {
        let board = try TestSupport.repository.loadBoard(named: source.board)
        let tree = try tree(source.socFiles)
        let devices = board.devices.compactMap { device in device.passthrough.map { (device.id, $0) } }
        #expect(!devices.isEmpty)
        for (id, facts) in devices {
            for facts in facts.allNodes {
                let node = try #require(tree.nodesByPath[facts.dtPath], "\(id): no node \(facts.dtPath) upstream")
                #expect(node.strings("compatible").first == facts.compatible, "\(id): compatible of \(facts.dtPath)")
                #expect(try regPairs(of: node, in: tree) == facts.reg, "\(id): reg of \(facts.dtPath)")
                #expect(spis(of: node) == facts.interrupts, "\(id): interrupts of \(facts.dtPath)")
                #expect((node.property("iommus") != nil) == facts.iommu, "\(id): iommus of \(facts.dtPath)")
                if let iommuNode = facts.iommuNode {
                    #expect(references(node, "iommus", in: tree) == [iommuNode], "\(id): IOMMU of \(facts.dtPath)")
                }
            }
        }
    }

    /// The paths of the nodes a property's phandles (`&label`) point at, each once, in order.
    func references(_ node: DeviceTreeSource.Node, _ property: String, in tree: DeviceTreeSource) -> [String] {
        var paths: [String] = []
        for cell in node.cells(property) where cell.hasPrefix("&") {
            guard let path = tree.nodesByLabel[String(cell.dropFirst())]?.path, !paths.contains(path) else { continue }
            paths.append(path)
        }
        return paths
    }

    @Test("a device lists the DMA engines its sub-nodes name in `dmas`")
    func soundDMAEngines() throws {
        let board = try TestSupport.repository.loadBoard(named: "rcar-h3-salvator-xs")
        let tree = try tree(["r8a77951.dtsi"])
        let facts = try #require(board.device(id: "sound0")?.passthrough)
        let sound = try #require(tree.nodesByPath[facts.dtPath])
        let engines = Set(sound.subtree.flatMap { references($0, "dmas", in: tree) })
        #expect(engines == Set(["/soc/dma-controller@ec700000", "/soc/dma-controller@ec720000"]))
        #expect(Set(facts.nodes.map(\.dtPath)) == engines)
        #expect(facts.nodes.allSatisfy { $0.dma && $0.iommu })
    }

    @Test("the display lists every VSP-D its DU names and the FCP each VSP-D names")
    func displayScanOutEngines() throws {
        let board = try TestSupport.repository.loadBoard(named: "rcar-h3-salvator-xs")
        let tree = try tree(["r8a77951.dtsi"])
        let facts = try #require(board.device(id: "display0")?.passthrough)
        let du = try #require(tree.nodesByPath[facts.dtPath])
        let vsps = references(du, "renesas,vsps", in: tree)
        #expect(vsps.count == 3)
        let fcps = try vsps.flatMap { path in references(try #require(tree.nodesByPath[path]), "renesas,fcp", in: tree) }
        #expect(fcps.count == 3)
        #expect(facts.nodes.map(\.dtPath).sorted() == (vsps + fcps).sorted())
        // The FCPs are the memory interface: each is behind an IPMMU and marked as a DMA master.
        for node in facts.nodes { #expect(node.dma == fcps.contains(node.dtPath), "\(node.dtPath): dma") }
        #expect(!facts.dmaWithoutIOMMU)
    }

    @Test("the i.MX8MQ SAI lists the SDMA engine its `dmas` name")
    func saiDMAEngine() throws {
        let board = try TestSupport.repository.loadBoard(named: "imx8mq-evk")
        let tree = try tree(["imx8mq.dtsi"])
        let facts = try #require(board.device(id: "sound0")?.passthrough)
        let sai = try #require(tree.nodesByPath[facts.dtPath])
        #expect(facts.nodes.map(\.dtPath) == references(sai, "dmas", in: tree))
        #expect(facts.dmaWithoutIOMMU)
    }

    @Test("the console UART and the RAM banks are the upstream ones", arguments: sources)
    func consoleAndMemory(source: Source) throws {
        let board = try TestSupport.repository.loadBoard(named: source.board)
        let soc = try tree(source.socFiles)
        let uart = try #require(soc.nodesByPath[board.console.uart], "no node \(board.console.uart) upstream")
        #expect(uart.name.hasPrefix("serial@"))
        let boardTree = try tree(source.socFiles + [source.boardFile])
        let memory = boardTree.root.children.filter { $0.name.hasPrefix("memory@") }
        let banks = try memory.flatMap { try regPairs(of: $0, in: boardTree) }
        let declared = ([board.ram] + board.moreRAM).map { RegRange(address: $0.base, size: $0.size.bytes) }
        #expect(banks == declared)
    }

    @Test("the R-Car keys device is the GPIO block the TSW keys are wired to")
    func keysController() throws {
        let board = try TestSupport.repository.loadBoard(named: "rcar-h3-salvator-xs")
        let tree = try tree(["r8a77951.dtsi", "salvator-common.dtsi"])
        let keys = try #require(tree.nodesByPath["/keys"])
        #expect(keys.strings("compatible") == ["gpio-keys"])
        let controllers = Set(keys.children.compactMap { $0.cells("gpios").first }
            .filter { $0.hasPrefix("&") }
            .compactMap { tree.nodesByLabel[String($0.dropFirst())]?.path })
        let keysDevice = try #require(board.device(id: "keys0")?.passthrough)
        #expect(controllers.contains(keysDevice.dtPath))
    }

    @Test("ALSA card ids are the card names with only letters and digits", arguments: [
        ("rcar-h3-salvator-xs", "salvator-common.dtsi", "/sound", "label"),
        ("imx8mq-evk", "imx8mq-evk.dts", "/sound-wm8524", "simple-audio-card,name"),
    ])
    func alsaCardIDs(board name: String, file: String, path: String, property: String) throws {
        let board = try TestSupport.repository.loadBoard(named: name)
        let card = try #require(try tree([file]).nodesByPath[path]?.strings(property).first)
        guard case .sound(let alsaCard, _)? = board.device(id: "sound0")?.domd else {
            Issue.record("sound0 of \(name) has no sound facts")
            return
        }
        #expect(alsaCard == String(card.filter { $0.isLetter || $0.isNumber }))
    }
}
