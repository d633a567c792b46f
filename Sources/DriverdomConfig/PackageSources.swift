// SPDX-License-Identifier: Apache-2.0

/// Where an image's Debian packages come from (`debian:` in the image file).
/// Everything is optional: without it the host's apt sources for bookworm are used,
/// with Debian's archive keyring, and locked files missing from them are looked for
/// in Debian's snapshot archive.
///
///     debian:
///       sources:                       # replaces the host's sources
///         - uri: http://deb.debian.org/debian
///           suites: [bookworm, bookworm-updates]
///         - uri: http://deb.debian.org/debian-security
///           suites: [bookworm-security]
///       keyring: keys/archive.gpg      # relative to the image file
///       extra_mirrors:                 # tried last for locked files (by pool path)
///         - http://aptly.example.com/debian
///         - ../debs                    # a folder of .debs (flat or pool/ layout)
package struct PackageSources: Sendable, Hashable {
    /// One apt source: mirror root, suites and components.
    package struct Source: Sendable, Hashable {
        /// Mirror root, `http(s)://…` or `file:///…`.
        package var uri: String
        /// Suites, e.g. `bookworm`, `bookworm-security`.
        package var suites: [String]
        /// Components (default `main`).
        package var components: [String]
        /// Creates a source.
        package init(uri: String, suites: [String], components: [String]) {
            self.uri = uri
            self.suites = suites
            self.components = components
        }
    }
    /// The sources to resolve and fetch from; empty means the host's.
    package var sources: [Source]
    /// Absolute path of the keyring that signs the sources' Release files, or nil for Debian's.
    package var keyring: String?
    /// Extra places for locked files: `http(s)://` or `file://` mirror roots, or
    /// absolute folder paths (relative ones in the file are made absolute).
    package var extraMirrors: [String]

    /// Creates the settings.
    package init(sources: [Source] = [], keyring: String? = nil, extraMirrors: [String] = []) {
        self.sources = sources
        self.keyring = keyring
        self.extraMirrors = extraMirrors
    }
}
