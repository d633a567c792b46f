// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Decodes and validates a `layer.yaml` root node into a `Layer`.
///
/// Rules: required keys, types, unknown keys, supported format, the name matching
/// the folder name, `binds` matching the class the protocol serves, unique option
/// names, and each option's default having the option's type.
struct LayerDecoder {
    let sink: DiagnosticSink

    static let keys = ["format", "name", "description", "protocol", "binds", "backend", "packages",
                       "modules", "options", "license"]

    /// The layer, or nil if the file had any violation (all of them are recorded).
    func decode(_ root: YAMLValue, folderName: String, directory: String) -> Layer? {
        let before = sink.count
        guard let map = root.mapping("layer file", keys: Self.keys), YAMLDocument.checkFormat(map) else {
            return nil
        }
        let nameValue = map.required("name")
        let name = nameValue?.string()
        if let name, let nameValue, name != folderName {
            nameValue.error("layer name '\(name)' does not match its folder name '\(folderName)'")
        }
        let description = map.optional("description")?.string() ?? ""
        let xenProtocol = map.required("protocol")?.choice(XenProtocol.self, problem: "unknown Xen protocol")
        let bindsValue = map.required("binds")
        let binds = bindsValue?.choice(DeviceClass.self, problem: "unknown device class")
        if let xenProtocol, let binds, let bindsValue, xenProtocol.deviceClass != binds {
            bindsValue.error("layer binds class '\(binds.rawValue)' but its protocol \(xenProtocol.rawValue)"
                + " serves class '\(xenProtocol.deviceClass.rawValue)'")
        }
        let backend = map.required("backend").flatMap { $0.mapping("'backend'", keys: ["executable", "package"]) }
        let executable = backend.flatMap { $0.required("executable")?.string() }
        let backendPackage = backend?.optional("package").flatMap { decodePackage($0, directory: directory) }
        let packageItems = map.optional("packages")?.sequence() ?? []
        var packages: [String] = []
        var packageLocations: [String: SourceLocation] = [:]
        for item in packageItems {
            guard let package = item.string() else { continue }
            packages.append(package)
            if packageLocations[package] == nil { packageLocations[package] = item.location }
        }
        let modules = map.optional("modules")?.strings() ?? []
        let options = map.optional("options").map(decodeOptions) ?? []
        let license = map.required("license")?.string()

        guard sink.count == before, let name, let xenProtocol, let binds, let executable, let license else {
            return nil
        }
        return Layer(name: name, description: description, xenProtocol: xenProtocol, binds: binds,
                     executable: executable, packages: packages, modules: modules, options: options,
                     license: license, directory: directory, location: map.location,
                     packageLocations: packageLocations, backendPackage: backendPackage)
    }

    /// `backend.package`: a folder (relative to the layer's) holding a Package.swift.
    private func decodePackage(_ value: YAMLValue, directory: String) -> String? {
        guard let relative = value.string() else { return nil }
        let folder = Repository.absolute(relative.hasPrefix("/") ? relative : directory + "/" + relative)
        guard FileManager.default.fileExists(atPath: folder + "/Package.swift") else {
            value.error("backend package '\(relative)' has no Package.swift (looked in \(folder))")
            return nil
        }
        return folder
    }

    private func decodeOptions(_ value: YAMLValue) -> [LayerOption] {
        var options: [LayerOption] = []
        var firstByName: [String: SourceLocation] = [:]
        for item in value.sequence() ?? [] {
            guard let map = item.mapping(BoardDeviceDecoder.named("option", item.peek("name")), keys: ["name", "type", "default", "description"]) else {
                continue
            }
            let nameValue = map.required("name")
            let name = nameValue?.string()
            if let name, let nameValue {
                if let first = firstByName[name] {
                    nameValue.error("duplicate option '\(name)' (first declared at line \(first.line))")
                } else {
                    firstByName[name] = nameValue.location
                }
            }
            let type = map.required("type")?.choice(OptionType.self, problem: "unknown option type")
            let description = map.optional("description")?.string() ?? ""
            let defaultValue = map.required("default").flatMap { value in
                type.flatMap { Self.optionValue(value, type: $0) }
            }
            guard let name, let type, let defaultValue else { continue }
            options.append(LayerOption(name: name, type: type, defaultValue: defaultValue,
                                       description: description))
        }
        return options
    }

    /// `value` read as an option value of `type`; nil after recording a type error.
    static func optionValue(_ value: YAMLValue, type: OptionType) -> OptionValue? {
        switch type {
        case .bool: return value.bool().map(OptionValue.bool)
        case .int: return value.int().map(OptionValue.int)
        case .string: return value.string().map(OptionValue.string)
        }
    }
}
