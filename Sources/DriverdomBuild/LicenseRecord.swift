// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `licenses.json` in a build's output folder: the audit of everything the image's rootfs carry.
package struct LicenseRecord: Codable, Sendable, Equatable {
    /// Format version.
    package var version = 1
    /// Every component with its verdict and obligations.
    package var rows: [LicenseAudit.Row]
    /// Warnings about unknown licenses.
    package var warnings: [String]

    /// Creates a record.
    package init(rows: [LicenseAudit.Row], warnings: [String]) {
        self.rows = rows
        self.warnings = warnings
    }

    /// The file name in the output folder.
    package static let fileName = "licenses.json"

    /// The record of a built image's output folder, nil when there is none.
    package static func read(outputFolder: URL) -> LicenseRecord? {
        guard let data = try? Data(contentsOf: outputFolder.appendingPathComponent(fileName)) else { return nil }
        return try? JSONDecoder().decode(LicenseRecord.self, from: data)
    }
}
