// SPDX-License-Identifier: Apache-2.0

/// Decodes `guests:` and checks each guest.
///
/// Rules: unique guest names, none equal to the driver domain's; memory > 0;
/// vcpus >= 1; device ids unique within a guest; vsnd stream ids unique within a
/// guest; every virtual device names a board device that a layer of the matching
/// protocol serves. Per-protocol rules are in `VirtualDeviceDecoder`.
struct GuestDecoder {
    let sink: DiagnosticSink
    let services: DeviceServices
    let driverDomain: String?
    /// The driver domain is separate from dom0.
    var separateDriverDomain = false

    static let keys = ["name", "memory", "vcpus", "vkb", "vsnd", "vdispl", "usbctrl"]

    func decodeAll(_ value: YAMLValue) -> [Guest] {
        var guests: [Guest] = []
        var firstByName: [String: SourceLocation] = [:]
        for item in value.sequence() ?? [] {
            guard let map = item.mapping(BoardDeviceDecoder.named("guest", item.peek("name")), keys: Self.keys) else { continue }
            let nameValue = map.required("name")
            let name = nameValue?.string()
            if let name, let nameValue {
                if let first = firstByName[name] {
                    nameValue.error("duplicate guest name '\(name)' (first at line \(first.line))")
                } else {
                    firstByName[name] = nameValue.location
                }
                if name == driverDomain {
                    nameValue.error("guest name '\(name)' is the driver domain's name")
                }
            }
            if let guest = decodeGuest(map, name: name) { guests.append(guest) }
        }
        return guests
    }

    private func decodeGuest(_ map: YAMLMap, name: String?) -> Guest? {
        let context = "guest '\(name ?? "?")'"
        let memory = map.required("memory").flatMap(Self.positiveMemory)
        let vcpus = map.required("vcpus").flatMap(Self.vcpus)
        var ids = UniqueIDs(sink: sink, what: "device id", scope: context)
        var streams = UniqueIDs(sink: sink, what: "vsnd stream id", scope: context)
        var devices = VirtualDeviceDecoder(sink: sink, guest: context)
        devices.separateDriverDomain = separateDriverDomain
        let board = services.board
        devices.displayOutputs = { id in
            if case .display(_, let connectors)? = board?.device(id: id)?.domd { return connectors }
            return nil
        }
        func items<T>(_ key: String, _ decode: (YAMLMap) -> T?, keys: [String]) -> [T] {
            (map.optional(key)?.sequence() ?? []).compactMap { item -> T? in
                guard let deviceMap = item.mapping(BoardDeviceDecoder.named("\(key) device", item.peek("id")) + " of \(context)", keys: keys) else { return nil }
                if let idValue = deviceMap.required("id"), let id = idValue.string() { ids.add(id, at: idValue) }
                if let deviceValue = deviceMap.required("device"), let device = deviceValue.string() {
                    checkServed(device, by: GuestDeviceKind(rawValue: key) ?? .vkb, at: deviceValue)
                }
                return decode(deviceMap)
            }
        }
        let vkb = items("vkb", devices.keyboard, keys: VirtualDeviceDecoder.keyboardKeys)
        let vsnd = items("vsnd", { devices.soundCard($0, streamIDs: &streams) }, keys: VirtualDeviceDecoder.soundKeys)
        let vdispl = items("vdispl", devices.display, keys: VirtualDeviceDecoder.displayKeys)
        let usbctrl = items("usbctrl", devices.usbController, keys: VirtualDeviceDecoder.usbKeys)
        guard let name, let memory, let vcpus else { return nil }
        return Guest(name: name, memory: memory, vcpus: vcpus, vkb: vkb, vsnd: vsnd, vdispl: vdispl,
                     usbctrl: usbctrl, location: map.location)
    }

    /// Reports a guest device naming a board device no layer of `wanted` serves.
    private func checkServed(_ device: String, by wanted: GuestDeviceKind, at value: YAMLValue) {
        guard let binding = services.bound[device] else {
            guard let board = services.board else { return }
            if board.device(id: device) == nil {
                value.error("board '\(board.name)' has no device '\(device)'")
            } else {
                value.error("device '\(device)' is not served by any layer; bind it to a"
                    + " \(wanted.rawValue) layer under 'layers'")
            }
            return
        }
        guard let served = binding.frontend else { return }
        if served != wanted {
            value.error("device '\(device)' is served by layer '\(binding.layer)' (frontend"
                + " \(served.rawValue)), not by a \(wanted.rawValue) layer")
        }
    }

    /// A memory size greater than zero.
    static func positiveMemory(_ value: YAMLValue) -> ByteCount? {
        guard let memory = value.byteCount() else { return nil }
        guard memory.bytes >= 1 << 20 else {
            value.error("memory must be at least 1MiB, got \(memory)")
            return nil
        }
        return memory
    }

    /// A vcpu count of at least 1.
    static func vcpus(_ value: YAMLValue) -> Int? {
        guard let count = value.int() else { return nil }
        guard (1...128).contains(count) else {
            value.error("vcpus must be 1...128, got \(count)")
            return nil
        }
        return count
    }
}

/// Records ids seen in one scope and reports repeats with the first one's line.
struct UniqueIDs {
    let sink: DiagnosticSink
    let what: String
    let scope: String
    private var first: [String: SourceLocation] = [:]

    init(sink: DiagnosticSink, what: String, scope: String) {
        self.sink = sink
        self.what = what
        self.scope = scope
    }

    mutating func add(_ id: String, at value: YAMLValue) {
        if let earlier = first[id] {
            value.error("duplicate \(what) '\(id)' in \(scope) (first at line \(earlier.line))")
        } else {
            first[id] = value.location
        }
    }
}
