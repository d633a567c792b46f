// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import SystemTest

/// The checks of the package's own layers, as their layer.yaml files declare them.
enum BuiltinLayers {
    /// The package's root folder.
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Each built-in layer's checks (``EndToEndChecks/checks(of:)``), by name.
    static let checks: [String: [String]] = {
        let repository = Repository(root: packageRoot)
        var result: [String: [String]] = [:]
        for name in repository.layerNames() {
            if let layer = try? repository.loadLayer(named: name) { result[name] = EndToEndChecks.checks(of: layer) }
        }
        return result
    }()
}
