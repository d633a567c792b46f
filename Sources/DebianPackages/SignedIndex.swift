// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads a Packages index only after checking it against its signed Release file:
/// `gpgv` verifies `InRelease` with the archive keyring, the signed text's `SHA256:`
/// list gives the index's hash, and the (decompressed) index must match it.
package struct SignedIndex: Sendable {
    /// Keyring that must have signed the Release file.
    package let keyring: String
    private let runner: any CommandRunning

    package init(keyring: String = "/usr/share/keyrings/debian-archive-keyring.gpg",
                runner: any CommandRunning = ProcessCommandRunner()) {
        self.keyring = keyring
        self.runner = runner
    }

    /// The signed text of a clearsigned Release file, after `gpgv` accepted its signature.
    package func verifiedRelease(_ inRelease: URL) throws -> String {
        do {
            let output = try runner.run(Command(["gpgv", "--keyring", keyring, "--output", "-", inRelease.path],
                                                environment: ["LC_ALL": "C"]))
            return output.text
        } catch let DebianPackagesError.commandFailed(_, _, text) {
            throw DebianPackagesError.signatureVerificationFailed(file: inRelease.path, keyring: keyring, output: text)
        }
    }

    /// The `SHA256:` entries of a Release text: index path → (hash, size).
    package static func sha256Entries(ofRelease text: String) -> [String: (sha256: String, size: Int)] {
        var entries: [String: (String, Int)] = [:]
        guard let stanza = ControlStanza.parseAll(text).first, let list = stanza["SHA256"] else { return [:] }
        for line in list.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 3, let size = Int(words[1]) else { continue }
            entries[String(words[2])] = (String(words[0]), size)
        }
        return entries
    }

    /// The `Date:` of a Release text, as ``LockedIndex`` records it (ISO 8601, UTC).
    package static func date(ofRelease text: String) -> String? {
        ControlStanza.parseAll(text).first?["Date"].flatMap(LockedIndex.isoDate(fromReleaseDate:))
    }

    /// The uncompressed bytes of `index`, verified against its signed Release file.
    package func verifiedContents(of index: PackageIndexFile) throws -> Data {
        try verified(index).contents
    }

    /// The uncompressed bytes of `index`, verified against its signed Release file,
    /// and that file's publication date.
    package func verified(_ index: PackageIndexFile) throws -> (contents: Data, releaseDate: String?) {
        let release = try verifiedRelease(index.inRelease)
        guard let expected = Self.sha256Entries(ofRelease: release)[index.metaKey] else {
            throw DebianPackagesError.indexNotInRelease(index: index.metaKey, release: index.inRelease.path)
        }
        // apt keeps indexes compressed (lz4, zstd, gz, xz); its helper undoes any of them.
        let data = try runner.run(Command(["/usr/lib/apt/apt-helper", "cat-file", index.file.path])).standardOutput
        let actual = FileDigest.sha256(data)
        guard actual == expected.sha256, data.count == expected.size else {
            throw DebianPackagesError.indexChecksumMismatch(index: index.file.path, expected: expected.sha256,
                                                            actual: actual)
        }
        return (data, Self.date(ofRelease: release))
    }
}
