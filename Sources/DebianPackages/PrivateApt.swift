// SPDX-License-Identifier: Apache-2.0
import Foundation

/// apt under a private configuration and state folder for one target architecture:
/// `<root>/etc` (sources), `<root>/state` (empty dpkg status, lists), `<root>/cache`.
/// The host's sources, preferences, dpkg status and package cache are never read or
/// written; its `apt.conf.d` settings (such as an HTTP proxy) still apply.
package struct PrivateApt: Sendable {
    /// Folder holding this architecture's private apt tree, e.g. `<cache>/apt/arm64`.
    package let root: URL
    /// Debian architecture, e.g. `arm64`, `armhf`.
    package let architecture: String
    /// Archive sections to fetch from.
    package let sources: [AptSource]
    /// Keyring that signs the archive's Release files.
    package let keyring: String
    private let runner: any CommandRunning

    package init(root: URL, architecture: String, sources: [AptSource],
                keyring: String = "/usr/share/keyrings/debian-archive-keyring.gpg",
                runner: any CommandRunning = ProcessCommandRunner()) {
        self.root = root
        self.architecture = architecture
        self.sources = sources
        self.keyring = keyring
        self.runner = runner
    }

    var etc: URL { root.appendingPathComponent("etc") }
    var state: URL { root.appendingPathComponent("state") }
    /// Folder apt keeps the downloaded package lists in.
    package var lists: URL { state.appendingPathComponent("lists") }
    var status: URL { state.appendingPathComponent("status") }
    var cache: URL { root.appendingPathComponent("cache") }

    /// The `-o` options that confine apt to `root`.
    package var options: [String] {
        [
            "Dir::Etc=\(etc.path)",
            "Dir::Etc::SourceList=\(etc.appendingPathComponent("sources.list").path)",
            "Dir::Etc::SourceParts=\(etc.appendingPathComponent("sources.list.d").path)",
            "Dir::Etc::Preferences=\(etc.appendingPathComponent("preferences").path)",
            "Dir::Etc::PreferencesParts=\(etc.appendingPathComponent("preferences.d").path)",
            "Dir::State=\(state.path)",
            "Dir::State::Lists=\(lists.path)",
            "Dir::State::status=\(status.path)",
            "Dir::Cache=\(cache.path)",
            "Dir::Cache::Archives=\(cache.appendingPathComponent("archives").path)",
            "APT::Architecture=\(architecture)",
            "APT::Architectures=\(architecture)",
            "APT::Sandbox::User=root",
            "APT::Install-Recommends=false",
            "Acquire::Languages=none",
        ].flatMap { ["-o", $0] }
    }

    /// Creates the private tree and writes `sources.list` (idempotent).
    package func prepare() throws {
        let fm = FileManager.default
        do {
            for folder in [etc.appendingPathComponent("sources.list.d"), etc.appendingPathComponent("preferences.d"),
                           lists.appendingPathComponent("partial"),
                           cache.appendingPathComponent("archives/partial")] {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            if !fm.fileExists(atPath: status.path) { try Data().write(to: status) }
            let text = sources.flatMap { $0.sourcesListLines(keyring: keyring) }.joined(separator: "\n") + "\n"
            let file = etc.appendingPathComponent("sources.list")
            if (try? String(contentsOf: file, encoding: .utf8)) != text {
                try text.write(to: file, atomically: true, encoding: .utf8)
            }
        } catch {
            throw DebianPackagesError.cacheIOFailed(path: root.path, reason: "\(error)")
        }
    }

    /// `apt-get update`: downloads the signed Release files and Packages indexes.
    package func update() throws {
        try prepare()
        _ = try aptGet(["update", "--error-on=any"])
    }

    /// The Packages indexes apt holds, with the signed InRelease file each belongs to.
    package func packageIndexes() throws -> [PackageIndexFile] {
        let output = try aptGet(["indextargets"])
        return ControlStanza.parseAll(output.text).compactMap { stanza -> PackageIndexFile? in
            guard stanza["Created-By"] == "Packages", let key = stanza["MetaKey"],
                  let file = stanza["Filename"] else { return nil }
            let name = URL(fileURLWithPath: file).lastPathComponent
            let mangled = key.replacingOccurrences(of: "/", with: "_")
            guard let range = name.range(of: mangled) else { return nil }
            let release = URL(fileURLWithPath: file).deletingLastPathComponent()
                .appendingPathComponent(String(name[..<range.lowerBound]) + "InRelease")
            return PackageIndexFile(metaKey: key, file: URL(fileURLWithPath: file), inRelease: release,
                                    description: stanza["Description"] ?? key,
                                    repositoryURI: stanza["Repo-URI"], suite: stanza["Release"])
        }
    }

    /// Resolves `names` and all their dependencies (no recommends) as apt would install
    /// them on an empty system: returns name → version.
    package func resolveClosure(_ names: [String]) throws -> [String: String] {
        let output: CommandOutput
        do {
            output = try aptGet(["install", "--simulate", "--quiet"] + names)
        } catch let DebianPackagesError.commandFailed(command, status, text) {
            for name in names where text.contains("Unable to locate package \(name)\n")
                || text.contains("Package '\(name)' has no installation candidate")
                || text.contains("Package \(name) is not available") {
                throw DebianPackagesError.packageNotFound(name: name, architecture: architecture)
            }
            throw DebianPackagesError.commandFailed(command: command, status: status, output: text)
        }
        var resolved: [String: String] = [:]
        for line in output.text.split(separator: "\n") where line.hasPrefix("Inst ") {
            // Inst NAME (VERSION ORIGINS [ARCH])
            let words = line.split(separator: " ")
            guard words.count >= 3, words[2].hasPrefix("(") else { continue }
            resolved[String(words[1])] = String(words[2].dropFirst())
        }
        return resolved
    }

    private func aptGet(_ arguments: [String], in folder: URL? = nil) throws -> CommandOutput {
        try prepare()
        return try runner.run(Command(["apt-get"] + options + arguments, workingDirectory: folder,
                                      environment: ["LC_ALL": "C", "DEBIAN_FRONTEND": "noninteractive"]))
    }
}

/// A Packages index in apt's lists folder and the signed Release file that covers it.
package struct PackageIndexFile: Equatable, Sendable {
    /// Path of the index inside the Release file, e.g. `main/binary-arm64/Packages`.
    package var metaKey: String
    /// The index as apt stored it (possibly compressed).
    package var file: URL
    /// The clearsigned `InRelease` file of the same suite.
    package var inRelease: URL
    /// apt's human-readable name for the index.
    package var description: String
    /// The mirror root the index came from (apt's `Repo-URI`), e.g. `http://deb.debian.org/debian/`.
    package var repositoryURI: String?
    /// The suite as the sources name it (apt's `Release`), e.g. `bookworm-security`.
    package var suite: String?

    package init(metaKey: String, file: URL, inRelease: URL, description: String,
                repositoryURI: String? = nil, suite: String? = nil) {
        self.metaKey = metaKey
        self.file = file
        self.inRelease = inRelease
        self.description = description
        self.repositoryURI = repositoryURI
        self.suite = suite
    }
}
