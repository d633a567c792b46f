// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Decodes and validates a `layer.yaml` root node into a `Layer`.
///
/// Rules: required keys, types, unknown keys, supported format, the name matching
/// the folder name; the protocol and xenstore folder written as names; `binds`
/// matching the class a guest device of the layer's `frontend:` kind is bound to;
/// `device_arguments` naming facts devices of that class have; unique option
/// names, each default having the option's type, each `argument:` a `--flag`;
/// `check:` verdict names that are names.
struct LayerDecoder {
    let sink: DiagnosticSink

    static let keys = ["format", "name", "description", "protocol", "xenstore", "frontend", "binds", "backend",
                       "packages", "modules", "options", "check", "license"]
    static let checkKeys = ["kit", "verdicts", "guest", "teardown"]

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
        let protocolName = map.required("protocol").flatMap { Self.word($0, what: "protocol name") }
        let xenstore = map.optional("xenstore").flatMap { Self.word($0, what: "xenstore folder") }
        let frontendValue = map.optional("frontend")
        let frontend = frontendValue?.choice(GuestDeviceKind.self, problem: "unknown guest device kind")
            ?? protocolName.flatMap(GuestDeviceKind.init(rawValue:)) ?? GuestDeviceKind.none
        let bindsValue = map.required("binds")
        let binds = bindsValue?.choice(DeviceClass.self, problem: "unknown device class")
        if let binds, let bindsValue, let wanted = frontend.deviceClass, wanted != binds {
            bindsValue.error("layer binds class '\(binds.rawValue)' but its guests' \(frontend.rawValue) devices"
                + " are bound to class '\(wanted.rawValue)'"
                + (frontendValue == nil ? " (frontend \(frontend.rawValue) follows from protocol"
                    + " \(protocolName ?? "?"); say 'frontend: none' if no guest device names the layer)" : ""))
        }
        let backend = map.required("backend").flatMap {
            $0.mapping("'backend'", keys: ["executable", "package", "device_arguments"])
        }
        let executable = backend.flatMap { $0.required("executable")?.string() }
        let backendPackage = backend?.optional("package").flatMap { decodePackage($0, directory: directory) }
        let factArguments = backend?.optional("device_arguments").map { decodeFactArguments($0, binds: binds) } ?? []
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
        let check = map.optional("check").map { decodeCheck($0, layer: name ?? folderName) } ?? .none
        let license = map.required("license")?.string()

        guard sink.count == before, let name, let protocolName, let binds, let executable, let license else {
            return nil
        }
        return Layer(name: name, description: description, protocolName: protocolName, xenstoreFolder: xenstore,
                     frontend: frontend, binds: binds,
                     executable: executable, packages: packages, modules: modules, options: options,
                     license: license, directory: directory, location: map.location,
                     packageLocations: packageLocations, backendPackage: backendPackage,
                     factArguments: factArguments, check: check)
    }

    /// A name of lower-case letters, digits, `-` and `_`, starting with a letter.
    static func word(_ value: YAMLValue, what: String) -> String? {
        guard let text = value.string() else { return nil }
        guard isWord(text) else {
            value.error("\(what) '\(text)' must be lower-case letters, digits, '-' or '_', starting with a letter")
            return nil
        }
        return text
    }

    static func isWord(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLowercase else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// `backend.device_arguments`: fact name to `positional` or a `--flag`, in order.
    private func decodeFactArguments(_ value: YAMLValue, binds: DeviceClass?) -> [FactMapping] {
        var result: [FactMapping] = []
        for (key, argumentValue) in value.pairs() ?? [] {
            guard let fact = key.string() else { continue }
            if let binds, !binds.factNames.contains(fact) {
                key.error("device fact '\(fact)' is not a fact of class '\(binds.rawValue)' devices (facts: "
                    + binds.factNames.joined(separator: ", ") + ")")
                continue
            }
            if result.contains(where: { $0.fact == fact }) {
                key.error("device fact '\(fact)' is mapped twice")
                continue
            }
            guard let text = argumentValue.string() else { continue }
            if text == "positional" {
                result.append(FactMapping(fact: fact, argument: .positional))
            } else if let flag = Self.flag(text, at: argumentValue) {
                result.append(FactMapping(fact: fact, argument: .flag(flag)))
            }
        }
        return result
    }

    /// A `--flag`: two dashes then a word.
    static func flag(_ text: String, at value: YAMLValue) -> String? {
        guard text.hasPrefix("--"), isWord(String(text.dropFirst(2))) else {
            value.error("argument '\(text)' must be 'positional' or a flag: '--' then lower-case letters,"
                + " digits, '-' or '_'")
            return nil
        }
        return text
    }

    /// `check:`: the layer's end-to-end check in `driverdom test`.
    private func decodeCheck(_ value: YAMLValue, layer: String) -> LayerCheck {
        guard let map = value.mapping("'check'", keys: Self.checkKeys) else { return .none }
        var kit: [EndToEndKit] = []
        for item in map.optional("kit")?.sequence() ?? [] {
            guard let check = item.choice(EndToEndKit.self, problem: "unknown kit check") else { continue }
            if kit.contains(check) { item.error("kit check '\(check.rawValue)' is listed twice") } else { kit.append(check) }
        }
        var verdicts: [String] = []
        for item in map.optional("verdicts")?.sequence() ?? [] {
            guard let verdict = Self.word(item, what: "verdict name") else { continue }
            if verdicts.contains(verdict) {
                item.error("verdict '\(verdict)' is listed twice")
            } else if verdict == layer + "-teardown" {
                item.error("verdict '\(verdict)' is the teardown check's; say 'teardown: true' instead")
            } else {
                verdicts.append(verdict)
            }
        }
        let guestValue = map.optional("guest")
        let guest = guestValue?.string()
        if let guestValue, guest != nil, verdicts.isEmpty {
            guestValue.error("a guest check script prints verdicts; list their names under 'verdicts'")
        }
        let teardown = map.optional("teardown")?.bool() ?? false
        return LayerCheck(kit: kit, verdicts: verdicts, guestScript: guest, teardown: teardown)
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
        var firstByFlag: [String: (name: String, location: SourceLocation)] = [:]
        for item in value.sequence() ?? [] {
            guard let map = item.mapping(BoardDeviceDecoder.named("option", item.peek("name")),
                                         keys: ["name", "type", "default", "argument", "description"]) else {
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
            let argumentValue = map.optional("argument")
            let argument = argumentValue.flatMap { value in value.string().flatMap { Self.flag($0, at: value) } }
            if let name, firstByName[name] == nameValue?.location,
               let flag = argument ?? (argumentValue == nil ? LayerOption.defaultArgument(name) : nil) {
                if let other = firstByFlag[flag] {
                    (argumentValue ?? nameValue)?.error("option '\(name)' is passed as \(flag), like option"
                        + " '\(other.name)' (line \(other.location.line)); give one its own 'argument:'")
                } else if let nameValue {
                    firstByFlag[flag] = (name, nameValue.location)
                }
            }
            guard let name, let type, let defaultValue else { continue }
            options.append(LayerOption(name: name, type: type, defaultValue: defaultValue,
                                       description: description, argument: argument))
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
