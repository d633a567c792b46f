// SPDX-License-Identifier: Apache-2.0

/// A guest domain served by DomD (`guests:` item) and its PV devices.
package struct Guest: Sendable, Hashable {
    /// Domain name, unique among guests and different from the driver domain's.
    package var name: String
    /// Memory.
    package var memory: ByteCount
    /// Virtual CPUs (at least 1).
    package var vcpus: Int
    /// Keyboard/pointer devices (`vkb:`).
    package var vkb: [VirtualKeyboard]
    /// Sound cards (`vsnd:`).
    package var vsnd: [VirtualSoundCard]
    /// Displays (`vdispl:`).
    package var vdispl: [VirtualDisplay]
    /// USB controllers (`usbctrl:`).
    package var usbctrl: [VirtualUSBController]
    /// Where the guest's mapping starts.
    package var location: SourceLocation

    /// Creates a guest.
    package init(name: String, memory: ByteCount, vcpus: Int, vkb: [VirtualKeyboard] = [],
                vsnd: [VirtualSoundCard] = [], vdispl: [VirtualDisplay] = [],
                usbctrl: [VirtualUSBController] = [], location: SourceLocation) {
        self.name = name
        self.memory = memory
        self.vcpus = vcpus
        self.vkb = vkb
        self.vsnd = vsnd
        self.vdispl = vdispl
        self.usbctrl = usbctrl
        self.location = location
    }
}

/// A PV keyboard/pointer/multi-touch device (xl `vkb`).
package struct VirtualKeyboard: Sendable, Hashable {
    /// Pointer modes.
    package enum PointerMode: String, Sendable, Hashable, CaseIterable {
        /// Absolute coordinates in `width` × `height` (`feature-abs-pointer`).
        case absolute
        /// Relative motion.
        case relative
        /// No pointer (`feature-disable-pointer`).
        case none
    }
    /// Multi-touch facts (`multitouch:`).
    package struct MultiTouch: Sendable, Hashable {
        /// Number of contacts (`multi-touch-num-contacts`), at least 1.
        package var slots: Int
        /// Touch surface width.
        package var width: Int
        /// Touch surface height.
        package var height: Int
        /// Creates multi-touch facts.
        package init(slots: Int, width: Int, height: Int) {
            self.slots = slots
            self.width = width
            self.height = height
        }
    }
    /// Id unique within the guest (xl `unique-id`).
    package var id: String
    /// The board device (an `input` device served by a `vkb` layer).
    package var device: String
    /// Whether the keyboard is enabled (default true).
    package var keyboard: Bool
    /// Pointer mode (default `absolute`).
    package var pointer: PointerMode
    /// Absolute pointer width; nil means the layer's `width` option.
    package var width: Int?
    /// Absolute pointer height; nil means the layer's `height` option.
    package var height: Int?
    /// Multi-touch, if any.
    package var multitouch: MultiTouch?
    /// Creates a vkb device.
    package init(id: String, device: String, keyboard: Bool = true, pointer: PointerMode = .absolute,
                width: Int? = nil, height: Int? = nil, multitouch: MultiTouch? = nil) {
        self.id = id
        self.device = device
        self.keyboard = keyboard
        self.pointer = pointer
        self.width = width
        self.height = height
        self.multitouch = multitouch
    }
}

/// A PV sound card (xl `vsnd`: one CARD with PCMs and their STREAMs).
package struct VirtualSoundCard: Sendable, Hashable {
    /// A PCM device of the card.
    package struct PCM: Sendable, Hashable {
        /// PCM name.
        package var name: String
        /// Its streams.
        package var streams: [Stream]
        /// Creates a PCM.
        package init(name: String, streams: [Stream]) {
            self.name = name
            self.streams = streams
        }
    }
    /// A stream of a PCM.
    package struct Stream: Sendable, Hashable {
        /// Stream directions.
        package enum Direction: String, Sendable, Hashable, CaseIterable {
            /// Guest to DomD (xl `type=p`).
            case playback
            /// DomD to guest (xl `type=c`).
            case capture
        }
        /// Id unique within the guest (xl `unique-id`).
        package var id: String
        /// Direction (`type:`).
        package var direction: Direction
        /// DomD ALSA PCM it plays to or records from; nil means the device's first PCM.
        package var alsaPCM: String?
        /// Creates a stream.
        package init(id: String, direction: Direction, alsaPCM: String?) {
            self.id = id
            self.direction = direction
            self.alsaPCM = alsaPCM
        }
    }
    /// Id unique within the guest.
    package var id: String
    /// The board device (a `sound` device served by a `vsnd` layer).
    package var device: String
    /// Card short name.
    package var shortName: String?
    /// Card long name.
    package var longName: String?
    /// Sample rates in Hz (empty: the backend's defaults).
    package var sampleRates: [Int]
    /// Sample formats in xl.cfg spelling, e.g. `s16_le`.
    package var sampleFormats: [SampleFormat]
    /// Minimum channels, if limited.
    package var channelsMin: Int?
    /// Maximum channels, if limited.
    package var channelsMax: Int?
    /// Buffer size in bytes, if set.
    package var bufferSize: Int?
    /// PCMs.
    package var pcms: [PCM]
    /// Creates a card.
    package init(id: String, device: String, shortName: String? = nil, longName: String? = nil,
                sampleRates: [Int] = [], sampleFormats: [SampleFormat] = [], channelsMin: Int? = nil,
                channelsMax: Int? = nil, bufferSize: Int? = nil, pcms: [PCM]) {
        self.id = id
        self.device = device
        self.shortName = shortName
        self.longName = longName
        self.sampleRates = sampleRates
        self.sampleFormats = sampleFormats
        self.channelsMin = channelsMin
        self.channelsMax = channelsMax
        self.bufferSize = bufferSize
        self.pcms = pcms
    }
}

/// Sample formats as xl.cfg(5) spells them for `sample-formats`.
package enum SampleFormat: String, Sendable, Hashable, CaseIterable {
    case s8, u8, s16_le, s16_be, u16_le, u16_be, s24_le, s24_be, u24_le, u24_be
    case s32_le, s32_be, u32_le, u32_be, float_le, float_be, float64_le, float64_be
    case iec958_subframe_le, iec958_subframe_be, mu_law, a_law, ima_adpcm, mpeg, gsm
}

/// A PV display (xl `vdispl`).
package struct VirtualDisplay: Sendable, Hashable {
    /// A connector (xl `connectors=id:WxH;...`).
    package struct Connector: Sendable, Hashable {
        /// Connector id (no `:`, `;` or `,`).
        package var id: String
        /// Width in pixels (1...16384).
        package var width: Int
        /// Height in pixels (1...16384).
        package var height: Int
        /// The DomD DRM connector showing it (`output`, one of the board device's
        /// `connectors`); nil: the device's first connector.
        package var output: String?
        /// Creates a connector.
        package init(id: String, width: Int, height: Int, output: String? = nil) {
            self.id = id
            self.width = width
            self.height = height
            self.output = output
        }
    }
    /// Id unique within the guest.
    package var id: String
    /// The board device (a `display` device served by a `vdispl` layer).
    package var device: String
    /// Whether the backend allocates the buffers (xl `be-alloc`, default false).
    package var backendAllocates: Bool
    /// Connectors.
    package var connectors: [Connector]
    /// Creates a display.
    package init(id: String, device: String, backendAllocates: Bool = false, connectors: [Connector]) {
        self.id = id
        self.device = device
        self.backendAllocates = backendAllocates
        self.connectors = connectors
    }
}

/// A PV USB controller (xl `usbctrl`) and the host devices attached to it (xl `usbdev`).
package struct VirtualUSBController: Sendable, Hashable {
    /// How a host USB device is named.
    package enum Match: Sendable, Hashable, CustomStringConvertible {
        /// xl's `hostbus`/`hostaddr`: the address changes on every replug, and only
        /// xl in dom0 resolves it, so it serves only a driver domain that is dom0.
        case address(hostbus: Int, hostaddr: Int)
        /// The sysfs bus path (`bus_path: "1-1"`, `3-1.5`): the socket it is plugged into.
        case busPath(String)
        /// `vendor_product: "1d6b:0104"`: the first such device on the bound controller.
        case vendorProduct(vendor: UInt16, product: UInt16)

        /// The usbif backend's form (`--bind GUEST DEVID PORT VALUE`); nil for `address`.
        package var backendValue: String? {
            switch self {
            case .address: return nil
            case let .busPath(path): return path
            case let .vendorProduct(vendor, product): return Self.hex4(vendor) + ":" + Self.hex4(product)
            }
        }

        package var description: String {
            switch self {
            case let .address(bus, address): return "hostbus \(bus) hostaddr \(address)"
            case let .busPath(path): return "bus path " + path
            case .vendorProduct: return "vendor:product " + (backendValue ?? "")
            }
        }

        static func hex4(_ value: UInt16) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 4 - text.count) + text
        }
    }

    /// A host USB device given to the guest on a port.
    package struct Device: Sendable, Hashable {
        /// Controller port, 1...ports.
        package var port: Int
        /// Which host device.
        package var match: Match
        /// Creates a device named by xl's bus number and address.
        package init(port: Int, hostbus: Int, hostaddr: Int) {
            self.init(port: port, match: .address(hostbus: hostbus, hostaddr: hostaddr))
        }
        /// Creates a device.
        package init(port: Int, match: Match) {
            self.port = port
            self.match = match
        }
    }
    /// Id unique within the guest.
    package var id: String
    /// The board device (a `usb` device served by a `usbctrl` layer).
    package var device: String
    /// USB version (1 or 2; xl `version`).
    package var version: Int
    /// Number of ports (1...31; xl `ports`).
    package var ports: Int
    /// Devices attached (`usbdev:`).
    package var devices: [Device]
    /// Creates a controller.
    package init(id: String, device: String, version: Int, ports: Int, devices: [Device] = []) {
        self.id = id
        self.device = device
        self.version = version
        self.ports = ports
        self.devices = devices
    }
}
