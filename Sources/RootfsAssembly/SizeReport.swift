// SPDX-License-Identifier: Apache-2.0

/// Size per component (origin) of a staged rootfs, printed by the build as a
/// text table so the user sees what makes the image big.
package struct SizeReport: Sendable, Equatable {
    /// One component's share.
    package struct Row: Sendable, Equatable {
        package var component: String
        package var files: Int
        package var bytes: UInt64
    }

    /// Name of the rootfs the report describes.
    package var name: String
    /// Rows ordered by size (largest first), then by component name.
    package var rows: [Row]

    /// Total bytes of all regular files and symlink targets.
    package var totalBytes: UInt64 { rows.reduce(0) { $0 + $1.bytes } }

    /// Sums the sizes of regular files and symlinks per origin.
    package init(name: String, tree: StagedTree) throws(RootfsAssemblyError) {
        self.name = name
        var byOrigin: [String: Row] = [:]
        for entry in tree.sortedEntries() {
            var row = byOrigin[entry.origin] ?? Row(component: entry.origin, files: 0, bytes: 0)
            switch entry.kind {
            case let .regularFile(content):
                row.files += 1
                row.bytes += try content.size()
            case let .symlink(target):
                row.files += 1
                row.bytes += UInt64(target.utf8.count)
            default:
                break
            }
            byOrigin[entry.origin] = row
        }
        rows = byOrigin.values.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.component < $1.component }
    }

    /// The report as an aligned text table with a total line.
    package func render() -> String {
        let header = ("component", "files", "size")
        let lines = rows.map { ($0.component, String($0.files), Self.humanSize($0.bytes)) }
        let total = ("total", String(rows.reduce(0) { $0 + $1.files }), Self.humanSize(totalBytes))
        let all = [header] + lines + [total]
        let w0 = all.map(\.0.count).max() ?? 0
        let w1 = all.map(\.1.count).max() ?? 0
        let w2 = all.map(\.2.count).max() ?? 0
        func format(_ row: (String, String, String)) -> String {
            row.0.padding(w0) + "  " + String(repeating: " ", count: w1 - row.1.count) + row.1
                + "  " + String(repeating: " ", count: w2 - row.2.count) + row.2
        }
        var text = "Size of rootfs '\(name)':\n" + format(header) + "\n"
        text += String(repeating: "-", count: w0 + w1 + w2 + 4) + "\n"
        for line in lines { text += format(line) + "\n" }
        text += format(total) + "\n"
        return text
    }

    /// `1.5 MiB` style size with one decimal.
    package static func humanSize(_ bytes: UInt64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        var value = Double(bytes)
        for unit in ["KiB", "MiB", "GiB", "TiB"] {
            value /= 1024
            if value < 1024 || unit == "TiB" {
                let tenths = Int((value * 10).rounded())
                return "\(tenths / 10).\(tenths % 10) \(unit)"
            }
        }
        return "\(bytes) B"
    }
}

private extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
