// SPDX-License-Identifier: Apache-2.0

/// The kinds of PV device an image's guest names (its `vkb:`, `vsnd:`, `vdispl:`
/// and `usbctrl:` keys): xl.cfg's own device vocabulary. A layer says which of
/// them it serves (`frontend:`), or none when its guests' devices are made by
/// other means than xl.
package enum GuestDeviceKind: String, Sendable, Hashable, CaseIterable {
    /// xl `vkb` (`xen/io/kbdif.h`).
    case vkb
    /// xl `vsnd` (`xen/io/sndif.h`).
    case vsnd
    /// xl `vdispl` (`xen/io/displif.h`).
    case vdispl
    /// xl `usbctrl`/`usbdev` (`xen/io/usbif.h`).
    case usbctrl
    /// No guest device of an image names the layer.
    case none

    /// The device class whose DomD facts a guest device of this kind is bound to
    /// (a vsnd stream's ALSA PCM, a vdispl connector's DRM connector, a vkb's evdev
    /// node, a USB port's controller); nil for `none`.
    package var deviceClass: DeviceClass? {
        switch self {
        case .vsnd: return .sound
        case .vdispl: return .display
        case .vkb: return .input
        case .usbctrl: return .usb
        case .none: return nil
        }
    }
}

/// How one DomD fact of a bound board device reaches the backend (`backend.device_arguments`).
package enum FactArgument: Sendable, Hashable {
    /// As a positional argument; a `/dev/` node also makes the service wait for it.
    case positional
    /// As `FLAG VALUE` (one pair per value of a list fact).
    case flag(String)
}

/// One `backend.device_arguments` entry: a DomD fact name (as the board writes it) and how it is passed.
package struct FactMapping: Sendable, Hashable {
    /// The fact's key under a board device's `domd:` (`input_device`, `connectors`, …).
    package var fact: String
    /// How it reaches the backend.
    package var argument: FactArgument
    /// Creates a mapping.
    package init(fact: String, argument: FactArgument) {
        self.fact = fact
        self.argument = argument
    }
}

/// The checks a layer's kit check prints, from `driverdom test`'s own session kit.
package enum EndToEndKit: String, Sendable, Hashable, CaseIterable {
    /// xen-kbdfront reads the injector's key and pointer run (`e2e-input-check`).
    case input
    /// snd_xen_front plays and records a counter signal (`e2e-sound-probe`).
    case sound
    /// xen-drm-front flips frames DomD's display scans out (`e2e-display-probe`).
    case display
    /// xen-hcd drives a USB mass-storage gadget DomD serves.
    case usb
}

/// A layer's end-to-end check in `driverdom test` (`check:`), see docs/layer-contract.md.
package struct LayerCheck: Sendable, Hashable {
    /// Checks of driverdom's session kit the layer's guests run (`kit:`).
    package var kit: [EndToEndKit]
    /// The verdict names the layer's own scripts print (`verdicts:`), each once per test guest it serves.
    package var verdicts: [String]
    /// Shell run by busybox `sh` in each test guest the layer serves, after the kit checks (`guest:`).
    package var guestScript: String?
    /// Whether dom0 checks, after destroying each guest the layer serves, that
    /// `backend/<xenstore>/<guest domid>` is gone from the driver domain (`teardown:`);
    /// it prints the verdict `<layer>-teardown`.
    package var teardown: Bool

    /// Creates a check.
    package init(kit: [EndToEndKit] = [], verdicts: [String] = [], guestScript: String? = nil, teardown: Bool = false) {
        self.kit = kit
        self.verdicts = verdicts
        self.guestScript = guestScript
        self.teardown = teardown
    }

    /// No check.
    package static let none = LayerCheck()

    /// True when the layer declares nothing for `driverdom test` to judge.
    package var isEmpty: Bool { kit.isEmpty && verdicts.isEmpty && !teardown }
}

/// A driver layer: one Xen PV backend, loaded from `Layers/<name>/layer.yaml`.
package struct Layer: Sendable, Hashable {
    /// Layer name; equals its folder name.
    package var name: String
    /// One line for `driverdom layers`.
    package var description: String
    /// The protocol it serves: a free name (`protocol:`), for listings and errors.
    package var protocolName: String
    /// The device folder it serves under `backend/` in its domain's xenstore (`xenstore:`).
    package var xenstoreFolder: String
    /// The kind of guest device an image's guests name it by (`frontend:`).
    package var frontend: GuestDeviceKind
    /// The device class of board devices it binds (`binds:`); must match the protocol.
    package var binds: DeviceClass
    /// The SwiftPM executable product built as its backend (`backend.executable`).
    package var executable: String
    /// The Swift package `executable` is a product of (`backend.package`, absolute),
    /// nil for the driverdom package itself (see docs/layer-contract.md).
    package var backendPackage: String?
    /// Target Debian packages the backend needs at run time inside DomD.
    package var packages: [String]
    /// How each bound device's DomD facts reach the backend, in order (`backend.device_arguments`);
    /// a fact not listed is not passed.
    package var factArguments: [FactMapping]
    /// Kernel modules DomD loads before starting the backend.
    package var modules: [String]
    /// Options with defaults; images override them per binding.
    package var options: [LayerOption]
    /// The end-to-end check `driverdom test` runs for it (`check:`).
    package var check: LayerCheck
    /// SPDX license expression of the backend.
    package var license: String
    /// The layer's folder (absolute), for files it installs.
    package var directory: String
    /// Where the layer's mapping starts in its file.
    package var location: SourceLocation
    /// Where each of `packages` is written (for errors about a package, e.g. its license).
    package var packageLocations: [String: SourceLocation]

    /// Creates a layer.
    package init(name: String, description: String, protocolName: String, xenstoreFolder: String? = nil,
                frontend: GuestDeviceKind? = nil, binds: DeviceClass,
                executable: String, packages: [String], modules: [String], options: [LayerOption],
                license: String, directory: String, location: SourceLocation,
                packageLocations: [String: SourceLocation] = [:], backendPackage: String? = nil,
                factArguments: [FactMapping] = [], check: LayerCheck = .none) {
        self.name = name
        self.description = description
        self.protocolName = protocolName
        self.xenstoreFolder = xenstoreFolder ?? protocolName
        self.frontend = frontend ?? GuestDeviceKind(rawValue: protocolName) ?? .none
        self.factArguments = factArguments
        self.check = check
        self.binds = binds
        self.executable = executable
        self.packages = packages
        self.modules = modules
        self.options = options
        self.license = license
        self.directory = directory
        self.location = location
        self.packageLocations = packageLocations
        self.backendPackage = backendPackage
    }

    /// The option named `name`, if declared.
    package func option(named name: String) -> LayerOption? { options.first { $0.name == name } }

    /// The default value of every option, by name.
    package var defaultOptions: [String: OptionValue] {
        Dictionary(options.map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { first, _ in first })
    }
}

/// An option a layer declares (`options:` item).
package struct LayerOption: Sendable, Hashable {
    /// Option name (snake_case).
    package var name: String
    /// The backend's flag for it (`argument:`, default `--name` with `_` written `-`):
    /// a true bool as the flag alone, a false bool left out, anything else as `FLAG VALUE`.
    package var argument: String
    /// Value type.
    package var type: OptionType
    /// Value used when the image does not set one; its type equals `type`.
    package var defaultValue: OptionValue
    /// What it does.
    package var description: String
    /// Creates an option.
    package init(name: String, type: OptionType, defaultValue: OptionValue, description: String,
                argument: String? = nil) {
        self.name = name
        self.argument = argument ?? Self.defaultArgument(name)
        self.type = type
        self.defaultValue = defaultValue
        self.description = description
    }
}

extension LayerOption {
    /// `--name` with `_` written `-`.
    package static func defaultArgument(_ name: String) -> String { "--" + name.replacingOccurrences(of: "_", with: "-") }

    /// The backend arguments for `value` of this option.
    package func arguments(for value: OptionValue) -> [String] {
        switch value {
        case .bool(true): return [argument]
        case .bool(false): return []
        default: return [argument, value.description]
        }
    }
}

/// Layer option value types.
package enum OptionType: String, Sendable, Hashable, CaseIterable {
    /// `true`/`false`.
    case bool
    /// Decimal or hex integer.
    case int
    /// Any string.
    case string
}

/// A typed layer option value.
package enum OptionValue: Sendable, Hashable, CustomStringConvertible {
    /// A boolean.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A string.
    case string(String)

    /// The value's type.
    package var type: OptionType {
        switch self {
        case .bool: return .bool
        case .int: return .int
        case .string: return .string
        }
    }

    /// The value as a command-line argument.
    package var description: String {
        switch self {
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .string(let value): return value
        }
    }
}
