// SPDX-License-Identifier: Apache-2.0

/// The Xen paravirtual protocols a layer can serve.
package enum XenProtocol: String, Sendable, Hashable, CaseIterable {
    /// Sound (`xen/io/sndif.h`), xl `vsnd`.
    case vsnd
    /// Display (`xen/io/displif.h`), xl `vdispl`.
    case vdispl
    /// Keyboard/pointer/touch (`xen/io/kbdif.h`), xl `vkb`.
    case vkb
    /// USB (`xen/io/usbif.h`), xl `usbctrl`/`usbdev`.
    case usbctrl

    /// The device class a backend of this protocol serves.
    package var deviceClass: DeviceClass {
        switch self {
        case .vsnd: return .sound
        case .vdispl: return .display
        case .vkb: return .input
        case .usbctrl: return .usb
        }
    }
}

/// A driver layer: one Xen PV backend, loaded from `Layers/<name>/layer.yaml`.
package struct Layer: Sendable, Hashable {
    /// Layer name; equals its folder name.
    package var name: String
    /// One line for `driverdom layers`.
    package var description: String
    /// The protocol it serves.
    package var xenProtocol: XenProtocol
    /// The device class of board devices it binds (`binds:`); must match the protocol.
    package var binds: DeviceClass
    /// The SwiftPM executable product built as its backend (`backend.executable`).
    package var executable: String
    /// The Swift package `executable` is a product of (`backend.package`, absolute),
    /// nil for the driverdom package itself (see docs/layer-contract.md).
    package var backendPackage: String?
    /// Target Debian packages the backend needs at run time inside DomD.
    package var packages: [String]
    /// Kernel modules DomD loads before starting the backend.
    package var modules: [String]
    /// Options with defaults; images override them per binding.
    package var options: [LayerOption]
    /// SPDX license expression of the backend.
    package var license: String
    /// The layer's folder (absolute), for files it installs.
    package var directory: String
    /// Where the layer's mapping starts in its file.
    package var location: SourceLocation
    /// Where each of `packages` is written (for errors about a package, e.g. its license).
    package var packageLocations: [String: SourceLocation]

    /// Creates a layer.
    package init(name: String, description: String, xenProtocol: XenProtocol, binds: DeviceClass,
                executable: String, packages: [String], modules: [String], options: [LayerOption],
                license: String, directory: String, location: SourceLocation,
                packageLocations: [String: SourceLocation] = [:], backendPackage: String? = nil) {
        self.name = name
        self.description = description
        self.xenProtocol = xenProtocol
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
    /// Option name (snake_case); the backend receives it as `--name value`.
    package var name: String
    /// Value type.
    package var type: OptionType
    /// Value used when the image does not set one; its type equals `type`.
    package var defaultValue: OptionValue
    /// What it does.
    package var description: String
    /// Creates an option.
    package init(name: String, type: OptionType, defaultValue: OptionValue, description: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.description = description
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
