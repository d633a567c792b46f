// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `licenses.json` in a build's output folder: the audit of everything the image's rootfs carry.
public struct LicenseRecord: Codable, Sendable, Equatable {
    /// Format version.
    public var version = 1
    /// Every component with its verdict and obligations.
    public var rows: [LicenseAudit.Row]
    /// Warnings about unknown licenses.
    public var warnings: [String]

    /// Creates a record.
    public init(rows: [LicenseAudit.Row], warnings: [String]) {
        self.rows = rows
        self.warnings = warnings
    }

    /// The file name in the output folder.
    public static let fileName = "licenses.json"

    /// The record of a built image's output folder, nil when there is none.
    public static func read(outputFolder: URL) -> LicenseRecord? {
        guard let data = try? Data(contentsOf: outputFolder.appendingPathComponent(fileName)) else { return nil }
        return try? JSONDecoder().decode(LicenseRecord.self, from: data)
    }
}
