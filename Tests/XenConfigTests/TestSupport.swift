// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import XenConfig

/// Paths and loaders the XenConfig tests share.
enum TestSupport {
    /// The package root (holds Boards/, Layers/, Images/).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var repository: Repository { Repository(root: packageRoot) }

    /// The validated configuration of `Images/<name>.yaml`.
    static func configuration(image name: String) throws -> Configuration {
        try repository.loadImage(at: packageRoot + "/Images/\(name).yaml")
    }

    /// `Fixtures/<relative>` of this test bundle.
    static func fixture(_ relative: String) throws -> String {
        guard let base = Bundle.module.resourceURL else { throw FixtureMissing(path: relative) }
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw FixtureMissing(path: url.path) }
        return String(decoding: data, as: UTF8.self)
    }

    /// Names of the files in `Fixtures/<relative>/`.
    static func fixtureNames(in relative: String) throws -> [String] {
        guard let base = Bundle.module.resourceURL else { throw FixtureMissing(path: relative) }
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(relative)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    struct FixtureMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "fixture '\(path)' is missing" }
    }

    /// Replaces board device `id`'s passthrough facts.
    static func replacing(_ id: String, in configuration: Configuration,
                          _ change: (inout Passthrough) -> Void) -> Configuration {
        var copy = configuration
        guard let index = copy.board.devices.firstIndex(where: { $0.id == id }),
              var facts = copy.board.devices[index].passthrough else { return copy }
        change(&facts)
        copy.board.devices[index].source = .passthrough(facts)
        return copy
    }

    static var dtcAvailable: Bool { SystemDeviceTreeCompiler.isAvailable }
}
