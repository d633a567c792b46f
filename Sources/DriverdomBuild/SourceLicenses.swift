// SPDX-License-Identifier: Apache-2.0
import Foundation
import Licensing

/// The license of source folders read from their files' SPDX license headers: the conjunction of the distinct expressions found (Linux's
/// deprecated `GPL-2.0`/`GPL-2.0+` read as `GPL-2.0-only`/`GPL-2.0-or-later`).
struct SourceLicenses {
    /// The expression, nil when no file has a header.
    var expression: LicenseExpression?
    /// Files without a header (relative to the scanned folder), sorted.
    var filesWithoutHeader: [String]

    /// Source files whose headers count; other files (data, scripts' fixtures) are not scanned.
    static let extensions: Set<String> = ["swift", "c", "h", "modulemap", "S", "s"]

    /// What one folder's source files say: each header's expression, and the files without one
    /// (as `<folder name>/<relative path>`).
    struct FolderScan {
        var parts: [LicenseExpression]
        var missing: [String]
    }

    /// Scans every source file under each of `folders`.
    init(folders: [URL]) {
        self.init(scans: folders.map(Self.scan))
    }

    /// Combines folders' scans.
    init(scans: [FolderScan]) {
        expression = LicenseExpression.conjunction(scans.flatMap(\.parts))
        filesWithoutHeader = scans.flatMap(\.missing).sorted()
    }

    /// Reads the header of every source file under `folder`, in path order.
    static func scan(_ folder: URL) -> FolderScan {
        var scan = FolderScan(parts: [], missing: [])
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if extensions.contains((relative as NSString).pathExtension) { files.append(relative) }
        }
        for relative in files.sorted() {
            let url = folder.appendingPathComponent(relative)
            guard let handle = try? FileHandle(forReadingFrom: url) else { continue }
            let head = (try? handle.read(upToCount: 4096)) ?? Data()
            try? handle.close()
            if let expression = header(in: head.text) {
                scan.parts.append(expression)
            } else {
                scan.missing.append(folder.lastPathComponent + "/" + relative)
            }
        }
        return scan
    }

    /// The expression of the first license tag line of `text`, normalized.
    static func header(in text: String) -> LicenseExpression? {
        for line in text.split(separator: "\n").prefix(12) {
            guard let range = line.range(of: tag) else { continue }
            var value = String(line[range.upperBound...])
            if let end = value.range(of: "*/") { value = String(value[..<end.lowerBound]) }
            value = value.trimmingCharacters(in: .whitespaces)
            guard let parsed = try? LicenseExpression.parse(value) else { return nil }
            return normalized(parsed)
        }
        return nil
    }

    private static let tag = "SPDX-License" + "-Identifier:"

    /// Deprecated GNU ids replaced by their `-only`/`-or-later` forms.
    static func normalized(_ expression: LicenseExpression) -> LicenseExpression {
        switch expression {
        case var .term(term):
            if SPDXLicenseList.deprecatedLicenses.contains(term.license),
               let modern = DebianLicenseName.gnuIdentifier(term.license) {
                term.license = modern
            }
            return .term(term)
        case let .all(parts): return LicenseExpression.conjunction(parts.map(normalized))!
        case let .any(parts): return LicenseExpression.disjunction(parts.map(normalized))!
        }
    }
}
