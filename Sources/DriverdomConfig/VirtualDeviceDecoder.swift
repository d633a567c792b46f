// SPDX-License-Identifier: Apache-2.0

/// Decodes a guest's PV devices (`vkb`, `vsnd`, `vdispl`, `usbctrl`).
///
/// Rules: resolutions and pointer/touch sizes are 1...16384; a vkb device enables
/// at least one of keyboard, pointer, multitouch, and `width`/`height` only apply
/// to an absolute pointer; sample rates are positive and formats known;
/// channels_min <= channels_max; connector ids are unique and free of `:;,`; USB
/// version is 1 or 2, ports 1...31, and each usbdev port is within `ports` and
/// used once.
struct VirtualDeviceDecoder {
    let sink: DiagnosticSink
    /// Names the guest in messages.
    let guest: String
    /// The DRM connector names of a board display device (nil: unknown device).
    var displayOutputs: (String) -> [String]? = { _ in nil }
    /// The driver domain is separate from dom0 (xl's hostbus/hostaddr cannot reach it).
    var separateDriverDomain = false

    static let maxPixels = 16384
    static let keyboardKeys = ["id", "device", "keyboard", "pointer", "width", "height", "multitouch"]
    static let soundKeys = ["id", "device", "short_name", "long_name", "sample_rates", "sample_formats",
                            "channels_min", "channels_max", "buffer_size", "pcms"]
    static let displayKeys = ["id", "device", "be_alloc", "connectors"]
    static let usbKeys = ["id", "device", "version", "ports", "usbdev"]

    private func pixels(_ value: YAMLValue?, _ what: String) -> Int? {
        guard let value, let number = value.int() else { return nil }
        guard (1...Self.maxPixels).contains(number) else {
            value.error("invalid \(what) \(number) (expected 1...\(Self.maxPixels))")
            return nil
        }
        return number
    }

    func keyboard(_ map: YAMLMap) -> VirtualKeyboard? {
        let id = map.required("id")?.string()
        let device = map.required("device")?.string()
        let keyboard = map.optional("keyboard")?.bool() ?? true
        let pointer = map.optional("pointer")?.choice(VirtualKeyboard.PointerMode.self,
                                                      problem: "invalid pointer mode") ?? .absolute
        let width = pixels(map.optional("width"), "pointer width")
        let height = pixels(map.optional("height"), "pointer height")
        if pointer != .absolute {
            for key in ["width", "height"] where map.has(key) {
                sink.error("'\(key)' applies only to pointer: absolute, not \(pointer.rawValue)",
                           at: map.keyLocation(key))
            }
        }
        var multitouch: VirtualKeyboard.MultiTouch?
        if let touchMap = map.optional("multitouch")?.mapping("'multitouch'", keys: ["slots", "width", "height"]) {
            let slotsValue = touchMap.required("slots")
            var slots = slotsValue?.int()
            if let count = slots, !(1...64).contains(count) {
                slotsValue?.error("invalid multitouch slots \(count) (expected 1...64)")
                slots = nil
            }
            let touchWidth = pixels(touchMap.required("width"), "multitouch width")
            let touchHeight = pixels(touchMap.required("height"), "multitouch height")
            if let slots, let touchWidth, let touchHeight {
                multitouch = .init(slots: slots, width: touchWidth, height: touchHeight)
            }
        }
        if !keyboard, pointer == .none, !map.has("multitouch") {
            sink.error("vkb device '\(id ?? "?")' of \(guest) enables no keyboard, pointer or multitouch",
                       at: map.location)
        }
        guard let id, let device else { return nil }
        return VirtualKeyboard(id: id, device: device, keyboard: keyboard, pointer: pointer,
                               width: width, height: height, multitouch: multitouch)
    }

    func soundCard(_ map: YAMLMap, streamIDs: inout UniqueIDs) -> VirtualSoundCard? {
        let id = map.required("id")?.string()
        let device = map.required("device")?.string()
        let rates = (map.optional("sample_rates")?.sequence() ?? []).compactMap { value -> Int? in
            guard let rate = value.int() else { return nil }
            guard (1...768_000).contains(rate) else {
                value.error("invalid sample rate \(rate) (expected 1...768000 Hz)")
                return nil
            }
            return rate
        }
        let formats = (map.optional("sample_formats")?.sequence() ?? []).compactMap {
            $0.choice(SampleFormat.self, problem: "unknown sample format")
        }
        let channelsMin = channelCount(map.optional("channels_min"))
        let channelsMax = channelCount(map.optional("channels_max"))
        if let channelsMin, let channelsMax, channelsMin > channelsMax {
            sink.error("channels_min \(channelsMin) is greater than channels_max \(channelsMax)",
                       at: map.keyLocation("channels_min"))
        }
        let bufferValue = map.optional("buffer_size")
        var bufferSize = bufferValue?.int()
        if let size = bufferSize, size <= 0 {
            bufferValue?.error("invalid buffer_size \(size) (expected a positive byte count)")
            bufferSize = nil
        }
        var pcms: [VirtualSoundCard.PCM] = []
        let pcmItems = map.required("pcms")?.sequence()
        if let pcmItems, pcmItems.isEmpty { map.required("pcms")?.error("sound card '\(id ?? "?")' has no pcms") }
        for item in pcmItems ?? [] {
            guard let pcmMap = item.mapping(BoardDeviceDecoder.named("pcm", item.peek("name")), keys: ["name", "streams"]) else { continue }
            let name = pcmMap.required("name")?.string()
            var streams: [VirtualSoundCard.Stream] = []
            for streamItem in pcmMap.required("streams")?.sequence() ?? [] {
                guard let streamMap = streamItem.mapping(BoardDeviceDecoder.named("stream", streamItem.peek("id")), keys: ["id", "type", "alsa_pcm"]) else { continue }
                let idValue = streamMap.required("id")
                let streamID = idValue?.string()
                if let streamID, let idValue { streamIDs.add(streamID, at: idValue) }
                let direction = streamMap.required("type")?.choice(VirtualSoundCard.Stream.Direction.self,
                                                                   problem: "invalid stream type")
                let alsaPCM = streamMap.optional("alsa_pcm")?.string()
                if let streamID, let direction {
                    streams.append(.init(id: streamID, direction: direction, alsaPCM: alsaPCM))
                }
            }
            if let name { pcms.append(.init(name: name, streams: streams)) }
        }
        guard let id, let device else { return nil }
        return VirtualSoundCard(id: id, device: device, shortName: map.optional("short_name")?.string(),
                                longName: map.optional("long_name")?.string(), sampleRates: rates,
                                sampleFormats: formats, channelsMin: channelsMin, channelsMax: channelsMax,
                                bufferSize: bufferSize, pcms: pcms)
    }

    private func channelCount(_ value: YAMLValue?) -> Int? {
        guard let value, let count = value.int() else { return nil }
        guard (1...128).contains(count) else {
            value.error("invalid channel count \(count) (expected 1...128)")
            return nil
        }
        return count
    }

    func display(_ map: YAMLMap) -> VirtualDisplay? {
        let id = map.required("id")?.string()
        let device = map.required("device")?.string()
        let backendAllocates = map.optional("be_alloc")?.bool() ?? false
        var connectors: [VirtualDisplay.Connector] = []
        var ids = UniqueIDs(sink: sink, what: "connector id", scope: "display '\(id ?? "?")' of \(guest)")
        let items = map.required("connectors")?.sequence()
        if let items, items.isEmpty { map.required("connectors")?.error("display '\(id ?? "?")' has no connectors") }
        for item in items ?? [] {
            guard let connector = item.mapping(BoardDeviceDecoder.named("connector", item.peek("id")),
                                               keys: ["id", "width", "height", "output"]) else { continue }
            let outputValue = connector.optional("output")
            let output = outputValue?.string()
            if let output, let outputValue, let device, let known = displayOutputs(device), !known.contains(output) {
                outputValue.error("output '\(output)' is not a connector of board device '\(device)' (its connectors: \(known.joined(separator: ", ")))")
            }
            let idValue = connector.required("id")
            let connectorID = idValue?.string()
            if let connectorID, let idValue {
                ids.add(connectorID, at: idValue)
                if connectorID.contains(where: { ":;,".contains($0) }) {
                    idValue.error("connector id '\(connectorID)' must not contain ':', ';' or ','")
                }
            }
            let widthValue = connector.required("width")
            let heightValue = connector.required("height")
            guard let width = widthValue?.int(), let height = heightValue?.int() else { continue }
            guard (1...Self.maxPixels).contains(width), (1...Self.maxPixels).contains(height) else {
                sink.error("invalid resolution \(width)x\(height) for connector '\(connectorID ?? "?")'"
                    + " (width and height must be 1...\(Self.maxPixels))", at: widthValue?.location ?? connector.location)
                continue
            }
            if let connectorID { connectors.append(.init(id: connectorID, width: width, height: height, output: output)) }
        }
        guard let id, let device else { return nil }
        return VirtualDisplay(id: id, device: device, backendAllocates: backendAllocates, connectors: connectors)
    }

    func usbController(_ map: YAMLMap) -> VirtualUSBController? {
        let id = map.required("id")?.string()
        let device = map.required("device")?.string()
        let versionValue = map.optional("version")
        let version = versionValue?.int() ?? 2
        if let versionValue, ![1, 2].contains(version) {
            versionValue.error("invalid USB version \(version) (expected 1 or 2)")
        }
        let portsValue = map.required("ports")
        var ports = portsValue?.int()
        if let count = ports, !(1...31).contains(count) {
            portsValue?.error("invalid port count \(count) (expected 1...31)")
            ports = nil
        }
        var devices: [VirtualUSBController.Device] = []
        var usedPorts: [Int: SourceLocation] = [:]
        for item in map.optional("usbdev")?.sequence() ?? [] {
            guard let deviceMap = item.mapping("usbdev", keys: ["port", "hostbus", "hostaddr", "bus_path", "vendor_product"])
            else { continue }
            let portValue = deviceMap.required("port")
            let match = usbMatch(deviceMap)
            guard let portValue, let port = portValue.int() else { continue }
            if let ports, !(1...ports).contains(port) {
                portValue.error("usbdev port \(port) is beyond the controller's \(ports) ports")
                continue
            }
            if let first = usedPorts[port] {
                portValue.error("usbdev port \(port) is used twice (first at line \(first.line))")
                continue
            }
            usedPorts[port] = portValue.location
            if let match { devices.append(.init(port: port, match: match)) }
        }
        guard let id, let device, let ports else { return nil }
        return VirtualUSBController(id: id, device: device, version: version, ports: ports, devices: devices)
    }

    /// The host device of a `usbdev` item: exactly one of `bus_path`,
    /// `vendor_product` or `hostbus` with `hostaddr` (the last only when dom0 is
    /// the driver domain: xl resolves it there, and the address changes on replug).
    func usbMatch(_ map: YAMLMap) -> VirtualUSBController.Match? {
        let path = map.optional("bus_path")
        let ids = map.optional("vendor_product")
        let bus = map.optional("hostbus")
        let address = map.optional("hostaddr")
        let given = [path, ids, bus ?? address].compactMap { $0 }
        guard given.count == 1 else {
            let message = given.isEmpty
                ? "usbdev needs bus_path (e.g. \"1-1\"), vendor_product (e.g. \"1d6b:0104\") or hostbus with hostaddr"
                : "usbdev takes only one of bus_path, vendor_product, hostbus/hostaddr"
            if let second = given.dropFirst().first { second.error(message) } else { sink.error(message, at: map.location) }
            return nil
        }
        if let path, let text = path.string() {
            guard Self.isBusPath(text) else {
                path.error("invalid bus_path '\(text)' (expected BUS-PORT[.PORT...], numbers 1...255, at most 7 ports, e.g. \"1-1\" or \"3-1.5\")")
                return nil
            }
            return .busPath(text)
        }
        if let ids, let text = ids.string() {
            guard let pair = Self.vendorProduct(text) else {
                ids.error("invalid vendor_product '\(text)' (expected four hex digits, ':', four hex digits, e.g. \"1d6b:0104\")")
                return nil
            }
            return .vendorProduct(vendor: pair.0, product: pair.1)
        }
        guard let bus, let address else {
            (bus ?? address)?.error("usbdev needs both hostbus and hostaddr")
            return nil
        }
        guard let busNumber = bus.int(), let addressNumber = address.int() else { return nil }
        if separateDriverDomain {
            bus.error("hostbus/hostaddr name a device by the address its bus gave it, which changes on every replug and"
                      + " which only xl in dom0 resolves; with a separate driver domain give bus_path or vendor_product")
            return nil
        }
        return .address(hostbus: busNumber, hostaddr: addressNumber)
    }

    /// `BUS-PORT[.PORT...]`: the sysfs name of a USB device (libxl's busid).
    static func isBusPath(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let ports = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard ports.count <= 7 else { return false }
        for number in [parts[0]] + ports {
            guard !number.isEmpty, number.count <= 3, number.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(number), (1...255).contains(value) else { return false }
        }
        return true
    }

    /// `vvvv:pppp` in hex.
    static func vendorProduct(_ text: String) -> (UInt16, UInt16)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isHexDigit) }),
              let vendor = UInt16(parts[0], radix: 16), let product = UInt16(parts[1], radix: 16) else { return nil }
        return (vendor, product)
    }
}
