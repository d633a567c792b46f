// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Turns the committed upstream excerpts (Fixtures/upstream) into source `dtc`
/// compiles without Linux's preprocessor and headers: every macro in a cell
/// list (`GIC_SPI`, `CPG_MOD`, `KEY_A` …) becomes 0, and every label the
/// excerpts reference but leave out (`&cpg`, `&sysc` …) gets an empty stub node.
/// Paths, `reg` and the nodes' properties stay as upstream has them.
enum UpstreamDeviceTree {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func compilable(_ excerpts: [String]) throws -> String {
        var text = "/dts-v1/;\n" + excerpts.map { $0.replacingOccurrences(of: "#include", with: "// #include") }
            .joined(separator: "\n")
        let macro = try NSRegularExpression(pattern: "<[^<>;]*>")
        let name = try NSRegularExpression(pattern: "(?<![&\\w])[A-Z][A-Z0-9_]*\\b")
        var result = ""
        var last = text.startIndex
        for match in macro.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            result += text[last..<range.lowerBound]
            let cells = String(text[range])
            result += name.stringByReplacingMatches(in: cells, range: NSRange(cells.startIndex..., in: cells),
                                                    withTemplate: "0")
            last = range.upperBound
        }
        result += text[last...]
        text = result
        let defined = try labels(matching: "(?m)([A-Za-z_][A-Za-z0-9_]*):\\s*[A-Za-z0-9_,.@-]+\\s*\\{", in: text)
        let used = try labels(matching: "&([A-Za-z_][A-Za-z0-9_]*)", in: text)
        let missing = used.subtracting(defined).sorted()
        if !missing.isEmpty {
            text += "\n/ {\n" + missing.map { "\t\($0): stub-\($0.replacingOccurrences(of: "_", with: "-")) { };\n" }.joined()
                + "};\n"
        }
        return text
    }

    private static func labels(matching pattern: String, in text: String) throws -> Set<String> {
        let expression = try NSRegularExpression(pattern: pattern)
        return Set(expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        })
    }
}

/// Host tools the device-tree tests run.
enum DriverdomTool {
    static func available(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    /// `fdtoverlay -i BASE -o OUT OVERLAY`, in a private folder.
    static func fdtoverlay(base: [UInt8], overlay: [UInt8]) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fdtoverlay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let baseFile = folder.appendingPathComponent("base.dtb")
        let overlayFile = folder.appendingPathComponent("overlay.dtbo")
        let output = folder.appendingPathComponent("merged.dtb")
        try Data(base).write(to: baseFile)
        try Data(overlay).write(to: overlayFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["fdtoverlay", "-i", baseFile.path, "-o", output.path, overlayFile.path]
        let messages = Pipe()
        process.standardError = messages
        process.standardOutput = messages
        try process.run()
        let said = messages.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let merged = FileManager.default.contents(atPath: output.path) else {
            throw UpstreamDeviceTree.Problem(description: "fdtoverlay refused the overlay (status"
                + " \(process.terminationStatus)): \(String(decoding: said, as: UTF8.self))")
        }
        return Array(merged)
    }
}
