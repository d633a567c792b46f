// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The test guests' out-of-tree modules (``KernelSourceBuild/guestModuleBuilds(_:)``)
/// with the image kernel's modules they need, in one folder of the kernel step's
/// output: `NAME.ko` files and `load-order`, one module file name a line, in the
/// order `insmod` must load them (dependencies first), as a busybox guest
/// without modprobe needs them.
enum GuestModules {
    /// The file listing the load order.
    static let loadOrderFile = "load-order"

    /// Adds the dependencies of the modules in `folder` from the kernel tree at
    /// `modulesRoot` (`lib/modules/VERSION`, after depmod) and writes the load order.
    static func complete(_ folder: URL, modulesRoot: URL) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: folder.path) else { return }
        let built = try fileManager.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".ko") }.sorted()
        let dependencies = parseModulesDep(try String(contentsOf: modulesRoot.appendingPathComponent("modules.dep"),
                                                      encoding: .utf8))
        var byName: [String: String] = [:]
        for path in dependencies.keys { byName[moduleName(ofPath: path)] = path }
        var order: [String] = []
        for file in built {
            let needs = dependsField(try Data(contentsOf: folder.appendingPathComponent(file)))
            let paths = try needs.map { name -> String in
                guard let path = byName[kernelName(name)] else {
                    throw BuildError.stepFailed(step: "kernel", reason: "test guest module \(file) depends on '\(name)', "
                        + "which the image kernel's modules.dep does not have; add it to test.guest_modules")
                }
                return path
            }
            order += loadOrder(of: paths, dependencies: dependencies)
        }
        var seen: Set<String> = []
        var lines: [String] = []
        for path in order where seen.insert(path).inserted {
            let name = String(path.split(separator: "/").last ?? "")
            try StepActions.copy(modulesRoot.appendingPathComponent(path), to: folder.appendingPathComponent(name))
            lines.append(name)
        }
        lines += built
        try StepActions.write(lines.joined(separator: "\n") + "\n", to: folder.appendingPathComponent(loadOrderFile))
    }

    /// `modules.dep` as path → its dependency paths (depmod lists them so that
    /// loading them last to first works).
    static func parseModulesDep(_ text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = line[line.index(after: colon)...].split(separator: " ").map(String.init)
        }
        return result
    }

    /// Paths to load, dependencies first, so that every module in `paths` can load.
    static func loadOrder(of paths: [String], dependencies: [String: [String]]) -> [String] {
        var order: [String] = []
        for path in paths {
            order += (dependencies[path] ?? []).reversed()
            order.append(path)
        }
        var seen: Set<String> = []
        return order.filter { seen.insert($0).inserted }
    }

    /// The `depends=` field of a module's `.modinfo` section: the names it needs.
    static func dependsField(_ module: Data) -> [String] {
        let key = Array("\0depends=".utf8)
        let bytes = [UInt8](module)
        guard bytes.count > key.count else { return [] }
        var index = 0
        while index + key.count <= bytes.count {
            if bytes[index] == 0, Array(bytes[index..<(index + key.count)]) == key {
                var end = index + key.count
                while end < bytes.count, bytes[end] != 0 { end += 1 }
                let value = String(decoding: bytes[(index + key.count)..<end], as: UTF8.self)
                return value.split(separator: ",").map(String.init)
            }
            index += 1
        }
        return []
    }

    /// `drm_kms_helper` for `kernel/drivers/gpu/drm/drm_kms_helper.ko` (with '-' as '_').
    static func moduleName(ofPath path: String) -> String {
        var file = String(path.split(separator: "/").last ?? "")
        for suffix in [".xz", ".zst", ".gz"] where file.hasSuffix(suffix) { file = String(file.dropLast(suffix.count)) }
        if file.hasSuffix(".ko") { file = String(file.dropLast(3)) }
        return kernelName(file)
    }

    /// A module name as the kernel compares them ('-' and '_' are the same).
    static func kernelName(_ name: String) -> String { String(name.map { $0 == "-" ? "_" : $0 }) }
}
