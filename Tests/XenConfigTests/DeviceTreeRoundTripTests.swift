// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing
import XenConfig

/// Compiles the generated device trees with the real dtc and decompiles them:
/// the nodes and property values must survive unchanged.
@Suite("dtc round trip", .enabled(if: TestSupport.dtcAvailable, "dtc is not installed (Debian package device-tree-compiler)"))
struct DeviceTreeRoundTripTests {
    /// Property values as 32-bit cells or strings, independent of how they are spelled.
    enum Normalized: Equatable {
        case cells([UInt64])
        case strings([String])
        case empty
    }

    func normalize(_ values: [DeviceTreeSource.Value]) throws -> Normalized {
        if values.isEmpty { return .empty }
        var cells: [UInt64] = []
        var strings: [String] = []
        for value in values {
            switch value {
            case .cells(let tokens): cells += try tokens.map { try #require(DeviceTreeSource.number($0), "cell \($0)") }
            case .string(let text): strings.append(text)
            }
        }
        return strings.isEmpty ? .cells(cells) : .strings(strings)
    }

    func assertSameNodes(_ original: DeviceTreeSource, _ decompiled: DeviceTreeSource, ignoring: Set<String> = []) throws {
        let before = original.nodesByPath
        let after = decompiled.nodesByPath.filter { !ignoring.contains($0.key) }
        #expect(Set(before.keys) == Set(after.keys))
        for (path, node) in before {
            let other = try #require(after[path])
            #expect(node.properties.map(\.name) == other.properties.map(\.name), "\(path): property names")
            for property in node.properties {
                #expect(try normalize(property.values) == (try normalize(other.property(property.name) ?? [])),
                        "\(path): \(property.name)")
            }
        }
    }

    @Test("DomD's partial device tree", arguments: ["rcar-h3-cockpit", "qemu-virt-arm64"])
    func partialDeviceTree(image: String) throws {
        let configuration = try TestSupport.configuration(image: image)
        let compiler = try SystemDeviceTreeCompiler()
        let files = try XenConfigGenerator().files(for: configuration, compiler: compiler)
        let source = try #require(files.first { $0.name == "domd-passthrough.dts" })
        let blob = try #require(files.first { $0.name == "domd-passthrough.dtb" })
        #expect(blob.bytes.starts(with: [0xd0, 0x0d, 0xfe, 0xed]))
        let original = try DeviceTreeSource(source.text)
        let decompiled = try DeviceTreeSource(try compiler.decompile(blob.bytes))
        let plan = try PassthroughPlan(configuration: configuration)
        let nodes = plan.devices.flatMap(\.facts.allNodes)
        if nodes.allSatisfy({ $0.label == nil }) {
            try assertSameNodes(original, decompiled)
        } else {
            // Labels become phandles: the same nodes, each reference resolved.
            #expect(Set(decompiled.nodesByPath.keys) == Set(original.nodesByPath.keys))
        }
        #expect(original.root.children.map(\.name) == ["passthrough"])
        // A node under another listed node of the device (a gpio-keys button) is nested in it.
        func path(_ node: DeviceNode) -> String {
            let parent = nodes.first { node.dtPath.hasPrefix($0.dtPath + "/") }
            return "/passthrough/" + (parent.map { $0.nodeName + "/" } ?? "") + node.nodeName
        }
        #expect(Set(original.nodesByPath.keys) == Set(["/", "/passthrough"] + nodes.map(path)))
        #expect(nodes.count > plan.devices.count, "the devices' DMA and scan-out engines are in the partial tree")
    }

    @Test("the host overlay marks every passed-through node")
    func hostOverlay() throws {
        let configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let compiler = try SystemDeviceTreeCompiler()
        let files = try XenConfigGenerator().files(for: configuration, compiler: compiler)
        let blob = try #require(files.first { $0.name == "host-passthrough.dtbo" })
        let decompiled = try DeviceTreeSource(try compiler.decompile(blob.bytes))
        let fragments = decompiled.root.children.filter { $0.name.hasPrefix("fragment@") }
        let plan = try PassthroughPlan(configuration: configuration)
        #expect(fragments.flatMap { $0.strings("target-path") } == plan.passedNodes.map(\.dtPath))
        for fragment in fragments {
            let overlay = try #require(fragment.children.first { $0.name == "__overlay__" })
            #expect(overlay.property("xen,passthrough") == [])
        }
    }

    @Test("the host overlay applies to the board's upstream device tree", arguments: [
        ("rcar-h3-cockpit", ["r8a77951.dtsi", "salvator-common.dtsi", "r8a77951-salvator-xs.dts"]),
    ])
    func overlayAppliesToUpstreamTree(image: String, files: [String]) throws {
        try #require(DriverdomTool.available("fdtoverlay"), "fdtoverlay is not installed (device-tree-compiler)")
        let configuration = try TestSupport.configuration(image: image)
        let compiler = try SystemDeviceTreeCompiler()
        let generated = try XenConfigGenerator().files(for: configuration, compiler: compiler)
        let overlay = try #require(generated.first { $0.name == "host-passthrough.dtbo" })
        let upstream = try UpstreamDeviceTree.compilable(try files.map { try TestSupport.fixture("upstream/" + $0) })
        let base = try compiler.compile(upstream, overlay: false)
        let merged = try DriverdomTool.fdtoverlay(base: base, overlay: overlay.bytes)
        let tree = try DeviceTreeSource(try compiler.decompile(merged))
        let plan = try PassthroughPlan(configuration: configuration)
        for node in plan.passedNodes {
            let found = try #require(tree.nodesByPath[node.dtPath], "\(node.dtPath) is not in the merged tree")
            #expect(found.property("xen,passthrough") == [], "\(node.dtPath) is not marked xen,passthrough")
        }
        // The IOMMUs the engines sit behind stay with Xen: not marked.
        for iommu in Set(plan.passedNodes.compactMap(\.iommuNode)) {
            let found = try #require(tree.nodesByPath[iommu], "\(iommu) is not in the merged tree")
            #expect(found.property("xen,passthrough") == nil, "\(iommu) must stay with Xen")
        }
        #expect(plan.dtdev.count == 5, "audma0/1 and FCPV-D0..2: \(plan.dtdev)")
    }
}
