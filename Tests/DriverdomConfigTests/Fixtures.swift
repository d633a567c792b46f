// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Paths of the test fixtures and of the real configuration files.
enum Fixtures {
    /// The copied `Fixtures/broken` folder: a mini repository of broken cases.
    static var broken: String {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("test resources lack the Fixtures folder")
        }
        return url.appendingPathComponent("broken").standardizedFileURL.path
    }

    /// The package's root folder (holds the real Boards/, Layers/, Images/).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().standardizedFileURL.path
    }

    /// Names of the cases in `Fixtures/broken/Images` (file names without `.yaml`).
    static var brokenCaseNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: broken + "/Images")) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Names of the real images in `Images/`.
    static var realImageNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/Images")) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
