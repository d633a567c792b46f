// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One Debian archive section apt fetches from: a mirror URI, suites and components.
package struct AptSource: Equatable, Hashable, Sendable {
    /// Mirror base URI, e.g. `http://deb.debian.org/debian`.
    package var uri: String
    /// Suites, e.g. `bookworm`, `bookworm-updates`.
    package var suites: [String]
    /// Components, e.g. `main`.
    package var components: [String]

    package init(uri: String, suites: [String], components: [String]) {
        self.uri = uri.hasSuffix("/") ? String(uri.dropLast()) : uri
        self.suites = suites
        self.components = components
    }

    /// One-line `sources.list` entries, one per suite, signed by `keyring`.
    package func sourcesListLines(keyring: String) -> [String] {
        suites.map { "deb [signed-by=\(keyring)] \(uri) \($0) \(components.joined(separator: " "))" }
    }

    /// The `deb` sources enabled on this host: `sources.list` and the `*.list` and
    /// `*.sources` files of `sources.list.d` under `etc` (default `/etc/apt`).
    /// Disabled files (other suffixes) and `Enabled: no` stanzas are skipped.
    package static func hostSources(etc: URL = URL(fileURLWithPath: "/etc/apt")) throws -> [AptSource] {
        var files = [etc.appendingPathComponent("sources.list")]
        let parts = etc.appendingPathComponent("sources.list.d")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parts.path)) ?? []
        files += names.sorted().filter { $0.hasSuffix(".list") || $0.hasSuffix(".sources") }
            .map { parts.appendingPathComponent($0) }
        var sources: [AptSource] = []
        for file in files {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            sources += file.pathExtension == "sources"
                ? try parseDeb822(text, file: file.path) : try parseOneLine(text, file: file.path)
        }
        guard !sources.isEmpty else { throw DebianPackagesError.noHostSources(searched: files.map(\.path)) }
        return sources
    }

    /// The host's sources reduced to Debian `release` (e.g. `bookworm`): suites
    /// `release` and `release-*` (updates, security) are kept, other suites and
    /// sources without them dropped — third-party repositories are not signed by the
    /// Debian archive keyring and usually carry no target-architecture packages.
    package static func hostDebianSources(release: String = "bookworm",
                                         etc: URL = URL(fileURLWithPath: "/etc/apt")) throws -> [AptSource] {
        let all = try hostSources(etc: etc)
        let kept = debian(all, release: release)
        guard !kept.isEmpty else {
            throw DebianPackagesError.noHostSources(searched: [etc.path + " (suites \(release), \(release)-*)"])
        }
        return kept
    }

    /// `sources` reduced to the suites of Debian `release`.
    package static func debian(_ sources: [AptSource], release: String) -> [AptSource] {
        sources.compactMap { source in
            let suites = source.suites.filter { $0 == release || $0.hasPrefix(release + "-") }
            return suites.isEmpty ? nil : AptSource(uri: source.uri, suites: suites, components: source.components)
        }
    }

    /// Parses one-line style (`deb [options] URI suite component...`); `deb-src` lines are skipped.
    package static func parseOneLine(_ text: String, file: String) throws -> [AptSource] {
        var result: [AptSource] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            line = line.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("deb ") || line.hasPrefix("deb\t") else { continue }
            line = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else {
                    throw DebianPackagesError.sourcesParseFailed(file: file, line: index + 1, reason: "unclosed `[` options")
                }
                line = String(line[line.index(after: close)...])
            }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count >= 3 else {
                throw DebianPackagesError.sourcesParseFailed(file: file, line: index + 1,
                                                             reason: "expected URI, suite and components")
            }
            result.append(AptSource(uri: words[0], suites: [words[1]], components: Array(words[2...])))
        }
        return result
    }

    /// Parses deb822 style (`Types:`, `URIs:`, `Suites:`, `Components:` stanzas).
    package static func parseDeb822(_ text: String, file: String) throws -> [AptSource] {
        var result: [AptSource] = []
        for stanza in ControlStanza.parseAll(text) {
            let types = stanza.words("Types")
            guard types.contains("deb"), stanza["Enabled"]?.lowercased() != "no" else { continue }
            let uris = stanza.words("URIs"), suites = stanza.words("Suites"), components = stanza.words("Components")
            guard !uris.isEmpty, !suites.isEmpty, !components.isEmpty else {
                throw DebianPackagesError.sourcesParseFailed(file: file, line: stanza.line,
                                                             reason: "stanza needs URIs, Suites and Components")
            }
            result += uris.map { AptSource(uri: $0, suites: suites, components: components) }
        }
        return result
    }
}
