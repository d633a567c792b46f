// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Decodes an image file and checks it against its board and layers.
///
/// Rules checked here: required keys, types, unknown keys, format; the board and
/// each layer exist (reported at the line naming them); a layer is listed once;
/// each bound device exists on the board, has the layer's class and is bound by
/// one layer only; option names and value types match the layer's declaration;
/// the driver domain's vcpus and memory; outputs are known, unique, and `bmap`
/// comes with `disk`; DomD plus guests fit in the board's RAM; a device bound in a
/// separate driver domain that does DMA has a DMA master behind an IOMMU (or the
/// board maps DomD 1:1); two layers do not build different backends of one
/// executable name. `includes:` (folders relative to the image) are searched for
/// the board and layers before the repository's folders. Guests are checked by `GuestDecoder`.
struct ImageDecoder {
    let loader: FileLoader
    var sink: DiagnosticSink { loader.sink }

    static let keys = ["format", "name", "includes", "board", "source_date_epoch", "debian", "layers", "driver_domain",
                       "guests", "outputs", "license_policy", "test"]

    struct Result {
        let image: Image
        let board: Board
        let layers: [Layer]
        /// The site-wide policy merged with the image's.
        let licensePolicy: LicensePolicy
    }

    func decode(text: String, file: String) -> Result? {
        guard let root = YAMLDocument.parse(text, file: file, sink: sink),
              let map = root.mapping("image file", keys: Self.keys),
              YAMLDocument.checkFormat(map) else { return nil }
        let name = map.required("name")?.string()
        if let includes = map.optional("includes") {
            let folder = (file as NSString).deletingLastPathComponent
            loader.repository.searchFolders.insert(contentsOf: IncludesDecoder(sink: sink).decode(includes, relativeTo: folder),
                                                   at: 0)
        }
        let boardName = map.required("board")
        let board = boardName.flatMap { value in value.string().flatMap { loader.board(named: $0, referencedFrom: value) } }
        let epochValue = map.optional("source_date_epoch")
        let epoch = epochValue?.int()
        if let epoch, epoch < 0 { epochValue?.error("source_date_epoch must not be negative, got \(epoch)") }
        let imageFolder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let packageSources = map.optional("debian").flatMap {
            PackageSourcesDecoder(sink: sink, folder: imageFolder).decode($0)
        }

        var services = DeviceServices(board: board)
        let bindings = map.required("layers").map { decodeBindings($0, board: board, services: &services) } ?? []
        let (driverDomain, memoryValue) = map.required("driver_domain").map(decodeDriverDomain) ?? (nil, nil)
        var guestDecoder = GuestDecoder(sink: sink, services: services, driverDomain: driverDomain?.name)
        guestDecoder.separateDriverDomain = driverDomain?.mode == .separate
        let guests = map.optional("guests").map(guestDecoder.decodeAll) ?? []
        let outputs = map.required("outputs").map(decodeOutputs) ?? []
        let test = map.optional("test").map(decodeTest) ?? ImageTest()
        let policy = map.optional("license_policy").flatMap {
            LicensePolicyDecoder(sink: sink).decode($0, context: "'license_policy'")
        }

        if let board, let driverDomain, let memoryValue {
            let guestMemory = guests.reduce(UInt64(0)) { $0 + $1.memory.bytes }
            let total = driverDomain.domainMemory.bytes + guestMemory
            if total > board.totalRAM.bytes {
                let domd = driverDomain.domainMemory == driverDomain.memory ? "\(driverDomain.memory)"
                    : "\(driverDomain.memory) + grant_frames \(driverDomain.grantFrames)"
                memoryValue.error("driver domain \(driverDomain.name) (\(domd)) and guests"
                    + " (\(ByteCount(bytes: guestMemory))) need \(ByteCount(bytes: total)) of memory, more than"
                    + " board '\(board.name)' has (\(board.totalRAM))")
            }
        }
        if let board, let driverDomain, driverDomain.mode == .separate {
            checkDMA(board: board, services: services, domd: driverDomain.name)
        }
        _ = loader.sitePolicy()
        guard sink.count == 0, let name, let board, let boardText = boardName?.text, let driverDomain else {
            return nil
        }
        var image = Image(name: name, board: boardText, sourceDateEpoch: epoch, layers: bindings.map(\.binding),
                          driverDomain: driverDomain, guests: guests, outputs: outputs, path: file,
                          licensePolicy: policy)
        image.packageSources = packageSources ?? PackageSources()
        image.test = test
        let merged = LicensePolicy.merged(site: loader.sitePolicy(), image: policy)
        return Result(image: image, board: board, layers: bindings.compactMap(\.layer), licensePolicy: merged)
    }

    /// `test:`: `guest_modules`, out-of-tree module builds for the test guests.
    private func decodeTest(_ value: YAMLValue) -> ImageTest {
        guard let map = value.mapping("'test'", keys: ["guest_modules"]) else { return ImageTest() }
        return ImageTest(guestModules: map.optional("guest_modules").map { ModuleBuildDecoder.decode($0) } ?? [])
    }

    /// A separate driver domain is not mapped 1:1 in Xen 4.17, so a bound device
    /// that does DMA needs one of its DMA masters behind an IOMMU (its `dtdev`),
    /// unless the board says its Xen maps DomD 1:1 (`domd_direct_map`).
    private func checkDMA(board: Board, services: DeviceServices, domd: String) {
        guard !board.domdDirectMap else { return }
        for (id, binding) in services.bound.sorted(by: { $0.value.location < $1.value.location }) {
            guard let device = board.device(id: id), let facts = device.passthrough, facts.dmaWithoutIOMMU else { continue }
            let masters = facts.dmaMasters.map(\.dtPath).joined(separator: ", ")
            let file = URL(fileURLWithPath: device.location.path)
            let place = "\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent):\(device.location.line)"
            sink.error("device '\(id)' does DMA (masters: \(masters); \(place)) but none of its DMA"
                + " masters sits behind an IOMMU, so its DMA cannot reach the memory of the separate driver"
                + " domain \(domd), which Xen 4.17 does not map 1:1; serve it from dom0 (driver_domain mode:"
                + " dom0), or set 'domd_direct_map: true' in board '\(board.name)' if its Xen maps \(domd) 1:1",
                at: binding.location)
        }
    }

    private func decodeBindings(_ value: YAMLValue, board: Board?,
                                services: inout DeviceServices) -> [(binding: LayerBinding, layer: Layer?)] {
        var result: [(binding: LayerBinding, layer: Layer?)] = []
        var firstByLayer: [String: SourceLocation] = [:]
        for item in value.sequence() ?? [] {
            guard let map = item.mapping(BoardDeviceDecoder.named("binding of layer", item.peek("layer")), keys: ["layer", "devices", "options"]) else { continue }
            let layerValue = map.required("layer")
            let layerName = layerValue?.string()
            var layer: Layer?
            if let layerName, let layerValue {
                if let first = firstByLayer[layerName] {
                    layerValue.error("layer '\(layerName)' is listed twice (first at line \(first.line));"
                        + " list all its devices in one item")
                } else {
                    firstByLayer[layerName] = layerValue.location
                }
                layer = loader.layer(named: layerName, referencedFrom: layerValue)
                // Executables are built and installed by name (/usr/bin/<executable>): one name, one program.
                if let layer, let other = result.compactMap(\.layer).first(where: {
                    $0.executable == layer.executable && $0.backendPackage != layer.backendPackage
                }) {
                    layerValue.error("layer '\(layer.name)' builds backend executable '\(layer.executable)' from"
                        + " \(layer.backendPackage ?? "the driverdom package"), and layer '\(other.name)' builds one"
                        + " of the same name from \(other.backendPackage ?? "the driverdom package"); rename one")
                }
            }
            let devices = map.required("devices").map { bindDevices($0, layerName: layerName, layer: layer,
                                                                    board: board, services: &services) } ?? []
            let options = map.optional("options").map { decodeOptions($0, layer: layer) } ?? [:]
            if let layerName {
                result.append((LayerBinding(layer: layerName, devices: devices, options: options,
                                            location: map.location), layer))
            }
        }
        return result
    }

    private func bindDevices(_ value: YAMLValue, layerName: String?, layer: Layer?, board: Board?,
                             services: inout DeviceServices) -> [String] {
        guard let items = value.sequence() else { return [] }
        if items.isEmpty { value.error("layer '\(layerName ?? "?")' binds no devices; list at least one") }
        var ids: [String] = []
        for item in items {
            guard let id = item.string() else { continue }
            ids.append(id)
            if let previous = services.bound[id], previous.layer == layerName {
                item.error("device '\(id)' is listed twice for layer '\(previous.layer)' (first at line"
                    + " \(previous.location.line))")
                continue
            }
            if let previous = services.bound[id] {
                item.error("device '\(id)' is bound by two layers: '\(previous.layer)' (line"
                    + " \(previous.location.line)) and '\(layerName ?? "?")'")
                continue
            }
            services.bound[id] = DeviceServices.Binding(layer: layerName ?? "?", frontend: layer?.frontend,
                                                        location: item.location)
            guard let board else { continue }
            guard let device = board.device(id: id) else {
                let known = board.devices.map(\.id).joined(separator: ", ")
                item.error("board '\(board.name)' has no device '\(id)' (devices: \(known))")
                continue
            }
            if let layer, device.deviceClass != layer.binds {
                item.error("layer '\(layer.name)' binds class '\(layer.binds.rawValue)' but device '\(id)'"
                    + " is class '\(device.deviceClass.rawValue)'")
            }
        }
        return ids
    }

    private func decodeOptions(_ value: YAMLValue, layer: Layer?) -> [String: OptionValue] {
        guard let pairs = value.pairs(), let layer else { return [:] }
        var options: [String: OptionValue] = [:]
        for (key, optionValue) in pairs {
            guard let name = key.string() else { continue }
            guard let option = layer.option(named: name) else {
                let known = layer.options.map(\.name).joined(separator: ", ")
                key.error("unknown option '\(name)' for layer '\(layer.name)' (options: \(known))")
                continue
            }
            let named = YAMLValue(node: optionValue.node, subject: "for option '\(name)' of layer '\(layer.name)'"
                + " (type \(option.type.rawValue))", file: optionValue.file, sink: sink)
            if let typed = LayerDecoder.optionValue(named, type: option.type) { options[name] = typed }
        }
        return options
    }

    private func decodeDriverDomain(_ value: YAMLValue) -> (DriverDomain?, YAMLValue?) {
        guard let map = value.mapping("'driver_domain'", keys: DriverDomainKeys.all) else { return (nil, nil) }
        let name = map.required("name")?.string()
        let mode = map.optional("mode")?.choice(DriverDomain.Mode.self, problem: "unknown driver domain mode")
        let memoryValue = map.required("memory")
        let memory = memoryValue.flatMap { GuestDecoder.positiveMemory($0) }
        let vcpus = map.required("vcpus").flatMap { GuestDecoder.vcpus($0) }
        let debugShell = map.optional("debug_shell")?.bool() ?? false
        let grantFrames = map.optional("grant_frames").map(Self.grantFrames) ?? DriverDomain.defaultGrantFrames
        guard let name, let memory, let vcpus, let grantFrames else { return (nil, memoryValue) }
        return (DriverDomain(name: name, mode: mode ?? .separate, memory: memory, vcpus: vcpus,
                             debugShell: debugShell, grantFrames: grantFrames), memoryValue)
    }

    /// `grant_frames`: whole MiB (xl sizes domains in MiB), zero allowed.
    private static func grantFrames(_ value: YAMLValue) -> ByteCount? {
        guard let size = value.byteCount() else { return nil }
        guard size.bytes % (1 << 20) == 0 else {
            value.error("grant_frames must be whole MiB (xl sizes domains in MiB), got \(size)")
            return nil
        }
        return size
    }

    private func decodeOutputs(_ value: YAMLValue) -> [OutputFormat] {
        var outputs: [OutputFormat] = []
        var bmap: YAMLValue?
        for item in value.sequence() ?? [] {
            guard let format = item.choice(OutputFormat.self, problem: "invalid output format") else { continue }
            if outputs.contains(format) {
                item.error("output format '\(format.rawValue)' is listed twice")
                continue
            }
            if format == .bmap { bmap = item }
            outputs.append(format)
        }
        if let bmap, !outputs.contains(.disk) {
            bmap.error("output format 'bmap' maps the disk image; add 'disk' to outputs")
        }
        return outputs
    }
}

/// Keys of `driver_domain:`.
enum DriverDomainKeys {
    static let all = ["name", "mode", "memory", "vcpus", "debug_shell", "grant_frames"]
}

/// Which layer (and guest device kind) serves each board device, for checking guests.
struct DeviceServices {
    struct Binding {
        let layer: String
        /// The guest device kind the layer serves; nil when the layer did not load (its errors are already reported).
        let frontend: GuestDeviceKind?
        let location: SourceLocation
    }
    /// The board, nil when it did not load.
    let board: Board?
    /// Device id to its binding.
    var bound: [String: Binding] = [:]

    init(board: Board?) { self.board = board }
}
