// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads the few elements of a bmap file: comments are skipped, element text
/// is trimmed, and every error names the line.
struct BmapScanner {
    private let text: String
    private let body: Substring

    init(text: String) {
        self.text = text
        var stripped = ""
        var rest = Substring(text)
        // Comments are replaced by spaces of the same length (newlines kept),
        // so offsets and line numbers stay those of the original text.
        while let start = rest.range(of: "<!--") {
            stripped += rest[..<start.lowerBound]
            let end = rest[start.upperBound...].range(of: "-->")?.upperBound ?? rest.endIndex
            stripped += rest[start.lowerBound..<end].map { $0 == "\n" ? "\n" : " " }
            rest = rest[end...]
        }
        stripped += rest
        body = Substring(stripped)
    }

    private func line(at index: String.Index) -> Int {
        body[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// Trimmed text of the first `<name>…</name>`.
    func element(_ name: String) throws(ImageFormatsError) -> (value: String, line: Int) {
        guard let open = body.range(of: "<\(name)>") else {
            throw .bmapParseFailed(line: line(at: body.endIndex), reason: "element <\(name)> is missing")
        }
        guard let close = body[open.upperBound...].range(of: "</\(name)>") else {
            throw .bmapParseFailed(line: line(at: open.lowerBound), reason: "element <\(name)> is not closed")
        }
        return (body[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines), line(at: open.lowerBound))
    }

    func number(_ name: String) throws(ImageFormatsError) -> UInt64 {
        let found = try element(name)
        guard let value = UInt64(found.value) else {
            throw .bmapParseFailed(line: found.line, reason: "<\(name)> '\(found.value)' is not a number")
        }
        return value
    }

    /// The `version` attribute of `<bmap>`.
    func version() throws(ImageFormatsError) -> (value: String, line: Int) {
        guard let open = body.range(of: "<bmap"), let close = body[open.upperBound...].firstIndex(of: ">") else {
            throw .bmapParseFailed(line: 1, reason: "root element <bmap> is missing")
        }
        let attributes = body[open.upperBound..<close]
        guard let value = Self.attribute("version", in: attributes) else {
            throw .bmapParseFailed(line: line(at: open.lowerBound), reason: "<bmap> has no version attribute")
        }
        return (value, line(at: open.lowerBound))
    }

    /// Every `<Range chksum="…"> a-b </Range>` inside `<BlockMap>`.
    func ranges() throws(ImageFormatsError) -> [BmapRange] {
        guard let map = body.range(of: "<BlockMap>"), let end = body[map.upperBound...].range(of: "</BlockMap>") else {
            throw .bmapParseFailed(line: line(at: body.endIndex), reason: "element <BlockMap> is missing or not closed")
        }
        var result: [BmapRange] = []
        var rest = body[map.upperBound..<end.lowerBound]
        while let open = rest.range(of: "<Range") {
            let lineNumber = line(at: open.lowerBound)
            guard let tagEnd = rest[open.upperBound...].firstIndex(of: ">"),
                  let close = rest[tagEnd...].range(of: "</Range>") else {
                throw .bmapParseFailed(line: lineNumber, reason: "<Range> is not closed")
            }
            let checksum = Self.attribute("chksum", in: rest[open.upperBound..<tagEnd])
            let blocks = rest[rest.index(after: tagEnd)..<close.lowerBound].split(separator: "-", maxSplits: 1)
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard let first = blocks.first.flatMap({ UInt64($0) }),
                  let last = blocks.count == 2 ? UInt64(blocks[1]) : first, first <= last else {
                throw .bmapParseFailed(line: lineNumber, reason: "range '\(blocks.joined(separator: "-"))' is not 'first-last' with first <= last")
            }
            if let checksum, checksum.count != 64 || !checksum.allSatisfy(\.isHexDigit) {
                throw .bmapParseFailed(line: lineNumber, reason: "chksum '\(checksum)' is not a sha256 hex digest")
            }
            result.append(BmapRange(first: first, last: last, sha256: checksum?.lowercased()))
            rest = rest[close.upperBound...]
        }
        return result
    }

    private static func attribute(_ name: String, in tag: Substring) -> String? {
        for quote in ["\"", "'"] {
            if let start = tag.range(of: name + "=" + quote),
               let end = tag[start.upperBound...].range(of: quote) {
                return String(tag[start.upperBound..<end.lowerBound])
            }
        }
        return nil
    }
}
