// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A product repo's `driverdom.yaml` (kas-style): its folder is a collection of
/// boards and layers, and `includes:` names more, relative to the file:
///
///     format: 1
///     overrides: [kbdif]            # names this folder wins for (optional)
///     includes:                     # searched after this folder, before the built-in ones
///       - ../shared-boards
///       - {path: vendor/layers, overrides: [sndif]}
enum ProductManifest {
    /// The file name that marks a product repo's root.
    static let fileName = "driverdom.yaml"

    /// The search folders of the manifest at `path`: its own folder first, then its includes.
    static func searchFolders(at path: String, sink: DiagnosticSink) -> [SearchFolder] {
        let start = SourceLocation(path: path, line: 1, column: 1)
        let text: String
        switch TextFile.read(path) {
        case .success(let contents): text = contents
        case .failure(let failure):
            sink.error("cannot read \(fileName): \(failure.reason)", at: start)
            return []
        }
        guard let root = YAMLDocument.parse(text, file: path, sink: sink),
              let map = root.mapping("\(fileName)", keys: ["format", "overrides", "includes"]),
              YAMLDocument.checkFormat(map) else { return [] }
        let folder = (path as NSString).deletingLastPathComponent
        let own = SearchFolder(path: folder, overrides: map.optional("overrides")?.strings() ?? [], namedAt: map.location)
        let included = map.optional("includes").map { IncludesDecoder(sink: sink).decode($0, relativeTo: folder) } ?? []
        return [own] + included
    }

    /// The nearest `driverdom.yaml` at or above `folder`, stopping below `stop` (exclusive) if given.
    static func find(from folder: String) -> String? {
        var current = folder
        while true {
            let candidate = current + "/" + fileName
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
    }
}

/// Decodes an `includes:` list: each item a folder path relative to the file, or
/// `{path: FOLDER, overrides: [NAME…]}`. Each folder must exist.
struct IncludesDecoder {
    let sink: DiagnosticSink

    func decode(_ value: YAMLValue, relativeTo folder: String) -> [SearchFolder] {
        var result: [SearchFolder] = []
        for item in value.sequence() ?? [] {
            let pathValue: YAMLValue?
            var overrides: [String] = []
            if item.text != nil {
                pathValue = item
            } else {
                guard let map = item.mapping("include", keys: ["path", "overrides"]) else { continue }
                pathValue = map.required("path")
                overrides = map.optional("overrides")?.strings() ?? []
            }
            guard let pathValue, let relative = pathValue.string() else { continue }
            let absolute = relative.hasPrefix("/") ? relative : folder + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
                pathValue.error("included folder '\(relative)' does not exist (looked for \(Repository.absolute(absolute)))")
                continue
            }
            result.append(SearchFolder(path: absolute, overrides: overrides, namedAt: pathValue.location))
        }
        return result
    }
}
