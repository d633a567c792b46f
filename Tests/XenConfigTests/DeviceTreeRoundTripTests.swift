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

    @Test("DomD's partial device tree", arguments: ["rcar-h3-cockpit"])
    func partialDeviceTree(image: String) throws {
        let configuration = try TestSupport.configuration(image: image)
        let compiler = try SystemDeviceTreeCompiler()
        let files = try XenConfigGenerator().files(for: configuration, compiler: compiler)
        let source = try #require(files.first { $0.name == "domd-passthrough.dts" })
        let blob = try #require(files.first { $0.name == "domd-passthrough.dtb" })
        #expect(blob.bytes.starts(with: [0xd0, 0x0d, 0xfe, 0xed]))
        let original = try DeviceTreeSource(source.text)
        try assertSameNodes(original, try DeviceTreeSource(try compiler.decompile(blob.bytes)))
        let plan = try PassthroughPlan(configuration: configuration)
        #expect(original.root.children.map(\.name) == ["passthrough"])
        #expect(Set(original.nodesByPath.keys) == Set(["/", "/passthrough"] + plan.devices.map { "/passthrough/\($0.nodeName)" }))
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
        #expect(fragments.flatMap { $0.strings("target-path") } == plan.devices.map(\.facts.dtPath))
        for fragment in fragments {
            let overlay = try #require(fragment.children.first { $0.name == "__overlay__" })
            #expect(overlay.property("xen,passthrough") == [])
        }
    }
}
