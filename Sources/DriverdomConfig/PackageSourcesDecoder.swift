// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Decodes an image's `debian:` mapping. Rules: URIs are `http://`, `https://` or
/// `file:///`; each source has at least one suite; the keyring file exists; an extra
/// mirror is a URL or a folder that exists (relative to the image file).
struct PackageSourcesDecoder {
    let sink: DiagnosticSink
    /// Folder of the image file, for relative paths.
    let folder: URL

    static let keys = ["sources", "keyring", "extra_mirrors"]

    func decode(_ value: YAMLValue) -> PackageSources? {
        guard let map = value.mapping("'debian'", keys: Self.keys) else { return nil }
        let sources = map.optional("sources").map(decodeSources) ?? []
        var keyring: String?
        if let keyValue = map.optional("keyring"), let text = keyValue.string() {
            let path = absolute(text)
            if FileManager.default.fileExists(atPath: path) { keyring = path } else {
                keyValue.error("keyring '\(text)' does not exist (a relative path starts at the image file's folder)")
            }
        }
        var mirrors: [String] = []
        for item in map.optional("extra_mirrors")?.sequence() ?? [] {
            guard let text = item.string() else { continue }
            if Self.isURL(text) {
                mirrors.append(text)
                continue
            }
            if text.contains("://") {
                item.error("extra mirror '\(text)' must be an http://, https:// or file:// URL, or a folder")
                continue
            }
            let path = absolute(text)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                mirrors.append(path)
            } else {
                item.error("extra mirror folder '\(text)' does not exist (a relative path starts at the image file's folder)")
            }
        }
        return PackageSources(sources: sources, keyring: keyring, extraMirrors: mirrors)
    }

    private func decodeSources(_ value: YAMLValue) -> [PackageSources.Source] {
        guard let items = value.sequence() else { return [] }
        if items.isEmpty { value.error("'sources' lists no source; remove it to use the host's apt sources") }
        var sources: [PackageSources.Source] = []
        for item in items {
            guard let map = item.mapping("a 'debian' source", keys: ["uri", "suites", "components"]) else { continue }
            let uriValue = map.required("uri")
            let uri = uriValue?.string()
            if let uri, let uriValue, !Self.isURL(uri) {
                uriValue.error("source URI '\(uri)' must start with http://, https:// or file://")
            }
            let suitesValue = map.required("suites")
            let suites = suitesValue?.strings() ?? []
            if let suitesValue, suites.isEmpty { suitesValue.error("a source needs at least one suite") }
            let components = map.optional("components")?.strings() ?? ["main"]
            if let uri, Self.isURL(uri), !suites.isEmpty {
                sources.append(PackageSources.Source(uri: uri, suites: suites,
                                                     components: components.isEmpty ? ["main"] : components))
            }
        }
        return sources
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
    }

    private static func isURL(_ text: String) -> Bool {
        ["http://", "https://", "file://"].contains { text.hasPrefix($0) } && text.count > 8
    }
}
