// SPDX-License-Identifier: Apache-2.0

/// Decodes a board's `devices:` list.
///
/// Rules: unique ids; a known class; exactly one of `passthrough` and
/// `provided_by`; `domd` keys exactly those of the class; `reg` items are
/// `[address, size]` pairs with size > 0; interrupts are GIC SPI numbers 0...987;
/// no two `reg` ranges of the board overlap, within a device or across devices;
/// a passthrough device's further `nodes` each have a `role` and a distinct node
/// name, and only register-less nodes may be `host: shared`.
struct BoardDeviceDecoder {
    let sink: DiagnosticSink

    /// The highest GIC SPI number (INTID 1019 - 32).
    static let maxSPI = 987

    private struct LocatedRange {
        let range: RegRange
        let device: String
        let location: SourceLocation
    }

    /// `device 'sound0'`, or just `device` when the id is missing.
    static func named(_ kind: String, _ name: String?) -> String {
        name.map { "\(kind) '\($0)'" } ?? kind
    }

    func decodeAll(_ value: YAMLValue) -> [BoardDevice]? {
        guard let items = value.sequence() else { return nil }
        var devices: [BoardDevice] = []
        var firstByID: [String: SourceLocation] = [:]
        var ranges: [LocatedRange] = []
        for item in items {
            guard let map = item.mapping(Self.named("device", item.peek("id")), keys: ["id", "class", "description", "passthrough",
                                                          "provided_by", "domd"]) else { continue }
            let idValue = map.required("id")
            let id = idValue?.string()
            if let id, let idValue {
                if let first = firstByID[id] {
                    idValue.error("duplicate device id '\(id)' (first defined at line \(first.line))")
                } else {
                    firstByID[id] = idValue.location
                }
            }
            let context = id.map { "device '\($0)'" } ?? "device"
            if let device = decodeDevice(map, id: id, context: context, ranges: &ranges) {
                devices.append(device)
            }
        }
        checkOverlaps(ranges)
        return devices
    }

    private func decodeDevice(_ map: YAMLMap, id: String?, context: String,
                              ranges: inout [LocatedRange]) -> BoardDevice? {
        let deviceClass = map.required("class")?.choice(DeviceClass.self, problem: "unknown device class")
        let description = map.optional("description")?.string() ?? ""
        var source: BoardDevice.Source?
        var builds: [ModuleBuild] = []
        switch (map.optional("passthrough"), map.optional("provided_by")) {
        case (nil, nil):
            sink.error("\(context) needs either 'passthrough' (a SoC device) or 'provided_by'"
                + " (a virtual device made by DomD's kernel)", at: map.location)
        case (.some, .some):
            sink.error("\(context) has both 'passthrough' and 'provided_by'; keep one",
                       at: map.keyLocation("provided_by"))
        case (.some(let value), nil):
            if let facts = decodePassthrough(value, context: context) {
                source = .passthrough(facts.passthrough)
                ranges += facts.ranges.map { LocatedRange(range: $0.0, device: id ?? "?", location: $0.1) }
            }
        case (nil, .some(let value)):
            if let providers = value.mapping("'provided_by' of \(context)", keys: ["modules", "build"]),
               let modules = providers.required("modules")?.strings() {
                source = .providedBy(modules: modules)
                builds = providers.optional("build").map { decodeModuleBuilds($0, modules: modules) } ?? []
            }
        }
        let domdValue = map.required("domd")
        var domd: DomDFacts?
        if let domdValue, let deviceClass {
            domd = decodeDomD(domdValue, deviceClass: deviceClass, context: context)
        }
        guard let id, let deviceClass, let source, let domd else { return nil }
        var device = BoardDevice(id: id, deviceClass: deviceClass, description: description, source: source,
                                 domd: domd, location: map.location)
        device.moduleBuilds = builds
        return device
    }

    /// `provided_by.build`: modules built out of tree; each must be one of `modules`.
    private func decodeModuleBuilds(_ value: YAMLValue, modules: [String]) -> [ModuleBuild] {
        ModuleBuildDecoder.decode(value) { module, moduleValue in
            if !modules.contains(module) {
                moduleValue.error("module '\(module)' is built but not in 'modules' \(modules); list it there too")
            }
        }
    }

    /// The keys of a node's facts, shared by `passthrough` and its `nodes` items.
    static let nodeKeys = ["dt_path", "compatible", "reg", "interrupts", "iommu", "dma", "label", "properties"]

    private func decodePassthrough(_ value: YAMLValue, context: String)
        -> (passthrough: Passthrough, ranges: [(RegRange, SourceLocation)])? {
        guard let map = value.mapping("'passthrough' of \(context)", keys: Self.nodeKeys + ["nodes", "modules"])
        else { return nil }
        guard let own = decodeNode(map, context: context, regRequired: true) else {
            _ = map.optional("nodes").map { decodeNodes($0, context: context, known: []) }
            return nil
        }
        var facts = Passthrough(dtPath: own.node.dtPath, compatible: own.node.compatible, reg: own.node.reg,
                                interrupts: own.node.interrupts, iommu: own.node.iommu)
        facts.iommuNode = own.node.iommuNode
        facts.dma = own.node.dma
        facts.label = own.node.label
        facts.properties = own.node.properties
        facts.modules = map.optional("modules")?.strings() ?? []
        var ranges = own.ranges
        if let nodesValue = map.optional("nodes") {
            let decoded = decodeNodes(nodesValue, context: context, known: [own.node])
            facts.nodes = decoded.map(\.node)
            ranges += decoded.filter { $0.node.host == .passthrough }.flatMap(\.ranges)
        }
        return (facts, ranges)
    }

    /// `passthrough.nodes`: each a node with a `role`, optionally `host: shared`.
    private func decodeNodes(_ value: YAMLValue, context: String, known: [DeviceNode])
        -> [(node: DeviceNode, ranges: [(RegRange, SourceLocation)])] {
        var result: [(node: DeviceNode, ranges: [(RegRange, SourceLocation)])] = []
        var seen = known
        for item in value.sequence() ?? [] {
            guard let map = item.mapping("'nodes' item of \(context)", keys: Self.nodeKeys + ["role", "host"]),
                  var decoded = decodeNode(map, context: context, regRequired: false) else { continue }
            decoded.node.role = map.required("role")?.string() ?? ""
            if let host = map.optional("host")?.choice(DeviceNode.HostUse.self, problem: "unknown host use") {
                decoded.node.host = host
            }
            if decoded.node.host == .shared, decoded.node.dma || !decoded.node.reg.isEmpty
                || !decoded.node.interrupts.isEmpty {
                sink.error("node \(decoded.node.dtPath) of \(context) is 'host: shared' (dom0 keeps it, DomD gets"
                    + " a copy) but has reg, interrupts or dma; only register-less nodes such as fixed clocks"
                    + " can be shared", at: map.location)
            }
            if let first = seen.first(where: { $0.dtPath == decoded.node.dtPath || $0.nodeName == decoded.node.nodeName }) {
                map.required("dt_path")?.error("node \(decoded.node.dtPath) of \(context) has the name of"
                    + " \(first.dtPath), listed before; DomD's partial device tree needs distinct node names")
                continue
            }
            if let label = decoded.node.label, seen.contains(where: { $0.label == label }) {
                map.required("label")?.error("label '\(label)' of \(context) is used by another node")
            }
            seen.append(decoded.node)
            result.append(decoded)
        }
        return result
    }

    /// One node's facts: `dt_path`, `compatible`, `reg` (required for the
    /// device's own node), `interrupts`, `iommu` (false, true, or the IOMMU
    /// node's path), `dma`, `label` and DomD `properties`.
    private func decodeNode(_ map: YAMLMap, context: String, regRequired: Bool)
        -> (node: DeviceNode, ranges: [(RegRange, SourceLocation)])? {
        let pathValue = map.required("dt_path")
        let dtPath = pathValue?.string()
        if let dtPath, !dtPath.hasPrefix("/") {
            pathValue?.error("expected a device-tree path starting with '/' for 'dt_path', got '\(dtPath)'")
        }
        let compatible = map.optional("compatible")?.string()
        var ranges: [(RegRange, SourceLocation)] = []
        let regValue = regRequired ? map.required("reg") : map.optional("reg")
        for item in regValue?.sequence() ?? [] {
            guard let pair = item.sequence() else { continue }
            guard pair.count == 2 else {
                item.error("expected an [address, size] pair in 'reg', got \(pair.count) values")
                continue
            }
            guard let address = pair[0].address(), let size = pair[1].address() else { continue }
            guard size > 0 else {
                pair[1].error("reg size must be greater than 0")
                continue
            }
            ranges.append((RegRange(address: address, size: size), item.location))
        }
        var interrupts: [Int] = []
        for item in map.optional("interrupts")?.sequence() ?? [] {
            guard let spi = item.int() else { continue }
            guard (0...Self.maxSPI).contains(spi) else {
                item.error("interrupt \(spi) is not a GIC SPI number (expected 0...\(Self.maxSPI);"
                    + " write the SPI, not SPI + 32)")
                continue
            }
            interrupts.append(spi)
        }
        var iommu = false
        var iommuNode: String?
        if let value = map.optional("iommu") {
            if let text = value.text, text.hasPrefix("/") {
                iommu = true
                iommuNode = text
            } else if let flag = value.bool() {
                iommu = flag
            }
        }
        let dma = map.optional("dma")?.bool() ?? false
        let labelValue = map.optional("label")
        let label = labelValue?.string()
        if let label, let labelValue, !Self.isLabel(label) {
            labelValue.error("'\(label)' is not a device-tree label (a letter or '_', then letters, digits and '_')")
        }
        var properties: [String] = []
        for item in map.optional("properties")?.sequence() ?? [] {
            guard let text = item.string() else { continue }
            if text.isEmpty || text.contains(where: { ";{}\n".contains($0) }) || text.hasPrefix("/") {
                item.error("property '\(text)' must be one DTS property without ';', braces or line breaks,"
                    + " such as '#gpio-cells = <2>'")
                continue
            }
            properties.append(text)
        }
        guard let dtPath else { return nil }
        var node = DeviceNode(dtPath: dtPath, compatible: compatible, reg: ranges.map(\.0), interrupts: interrupts,
                              iommu: iommu)
        node.iommuNode = iommuNode
        node.dma = dma
        node.label = label
        node.properties = properties
        return (node, ranges)
    }

    static func isLabel(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    private func decodeDomD(_ value: YAMLValue, deviceClass: DeviceClass, context: String) -> DomDFacts? {
        let name = "'domd' of \(context) (class \(deviceClass.rawValue))"
        switch deviceClass {
        case .sound:
            guard let map = value.mapping(name, keys: ["alsa_card", "alsa_pcms"]) else { return nil }
            let card = map.required("alsa_card")?.string()
            let pcms = map.required("alsa_pcms")?.strings()
            guard let card, let pcms else { return nil }
            return .sound(alsaCard: card, alsaPCMs: pcms)
        case .display:
            guard let map = value.mapping(name, keys: ["drm_card", "connectors"]) else { return nil }
            let card = map.required("drm_card")?.string()
            let connectors = map.required("connectors")?.strings()
            guard let card, let connectors else { return nil }
            return .display(drmCard: card, connectors: connectors)
        case .input:
            guard let map = value.mapping(name, keys: ["input_device"]),
                  let device = map.required("input_device")?.string() else { return nil }
            return .input(inputDevice: device)
        case .usb:
            guard let map = value.mapping(name, keys: ["usb_controller"]),
                  let controller = map.required("usb_controller")?.string() else { return nil }
            return .usb(usbController: controller)
        }
    }

    private func checkOverlaps(_ ranges: [LocatedRange]) {
        for (index, later) in ranges.enumerated() {
            for earlier in ranges[..<index] where earlier.range.overlaps(later.range) {
                let whose = earlier.device == later.device ? "another range of the same device"
                    : "device '\(earlier.device)'"
                sink.error("reg range \(later.range) of device '\(later.device)' overlaps"
                    + " \(earlier.range) of \(whose) (line \(earlier.location.line))", at: later.location)
            }
        }
    }
}
