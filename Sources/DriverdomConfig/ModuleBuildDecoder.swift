// SPDX-License-Identifier: Apache-2.0

/// Decodes a list of out-of-tree module builds (`provided_by.build` of a board
/// device, `test.guest_modules` of an image): each item has `module`, `source`
/// (a folder of the kernel tree with a Kbuild makefile, or one `.c` file of it)
/// and `config` (`CONFIG_*` symbols set to `m`).
enum ModuleBuildDecoder {
    /// The builds in `value`; `check` sees each module name with its value for
    /// rules of the caller (e.g. "listed in `modules`").
    static func decode(_ value: YAMLValue, check: (String, YAMLValue) -> Void = { _, _ in }) -> [ModuleBuild] {
        guard let items = value.sequence() else { return [] }
        var builds: [ModuleBuild] = []
        var seen: Set<String> = []
        for item in items {
            guard let map = item.mapping("module build", keys: ["module", "source", "config"]) else { continue }
            let moduleValue = map.required("module")
            let module = moduleValue?.string()
            if let module, let moduleValue {
                if module.isEmpty || !module.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                    moduleValue.error("module name '\(module)' must be letters, digits, '_' or '-' such as vkms")
                } else if !seen.insert(module).inserted {
                    moduleValue.error("module '\(module)' is built twice in this list; keep one item")
                }
                check(module, moduleValue)
            }
            let sourceValue = map.required("source")
            let source = sourceValue?.string()
            if let source, let sourceValue {
                let parts = source.split(separator: "/", omittingEmptySubsequences: false)
                if source.hasPrefix("/") || parts.contains("..") || parts.contains("") || source.contains(" ") {
                    sourceValue.error("module source '\(source)' must be a folder of the kernel tree such as"
                        + " drivers/gpu/drm/vkms, or one C file such as drivers/usb/host/xen-hcd.c")
                } else if source.hasSuffix(".c"), let module, let stem = parts.last?.dropLast(2),
                          kernelName(String(stem)) != kernelName(module) {
                    sourceValue.error("module source '\(source)' builds module '\(stem)', not '\(module)'; name the module after the file")
                }
            }
            let configValue = map.required("config")
            let config = configValue?.strings()
            for item in configValue?.sequence() ?? [] {
                guard let symbol = item.string() else { continue }
                if !symbol.hasPrefix("CONFIG_") || symbol.dropFirst(7).isEmpty
                    || !symbol.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }) {
                    item.error("'\(symbol)' is not a Kconfig symbol such as CONFIG_DRM_VKMS")
                }
            }
            if let module, let source, let config {
                builds.append(ModuleBuild(module: module, source: source, config: config))
            }
        }
        return builds
    }

    /// A module name as the kernel compares them ('-' and '_' are the same).
    private static func kernelName(_ name: String) -> String {
        String(name.map { $0 == "-" ? "_" : $0 })
    }
}
