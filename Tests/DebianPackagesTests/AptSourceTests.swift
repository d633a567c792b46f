// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DebianPackages

@Suite struct AptSourceTests {
    @Test func parsesDeb822StanzasAndSkipsDisabledOnes() throws {
        let text = """
        Types: deb
        # http://snapshot.debian.org/archive/debian/20250520T000000Z
        URIs: http://deb.debian.org/debian
        Suites: bookworm bookworm-updates
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb-src
        URIs: http://deb.debian.org/debian
        Suites: bookworm
        Components: main

        Types: deb
        Enabled: no
        URIs: http://example.invalid/debian
        Suites: trixie
        Components: main
        """
        let sources = try AptSource.parseDeb822(text, file: "debian.sources")
        #expect(sources == [AptSource(uri: "http://deb.debian.org/debian", suites: ["bookworm", "bookworm-updates"],
                                      components: ["main"])])
    }

    @Test func parsesOneLineEntriesWithOptions() throws {
        let text = """
        # comment
        deb [arch=amd64 signed-by=/k.gpg] http://proxy:3142/debian/ bookworm main contrib
        deb-src http://deb.debian.org/debian bookworm main
        deb http://deb.debian.org/debian-security bookworm-security main # trailing
        """
        let sources = try AptSource.parseOneLine(text, file: "sources.list")
        #expect(sources == [
            AptSource(uri: "http://proxy:3142/debian", suites: ["bookworm"], components: ["main", "contrib"]),
            AptSource(uri: "http://deb.debian.org/debian-security", suites: ["bookworm-security"], components: ["main"]),
        ])
    }

    @Test func reportsFileAndLineOfABadEntry() {
        #expect(throws: DebianPackagesError.sourcesParseFailed(file: "x.list", line: 2,
                                                               reason: "expected URI, suite and components")) {
            try AptSource.parseOneLine("\ndeb http://host/debian\n", file: "x.list")
        }
    }

    @Test func keepsOnlyTheRequestedDebianRelease() {
        let sources = [
            AptSource(uri: "http://deb.debian.org/debian", suites: ["bookworm", "bookworm-updates", "trixie"],
                      components: ["main"]),
            AptSource(uri: "https://deb.nodesource.com/node_20.x", suites: ["nodistro"], components: ["main"]),
        ]
        #expect(AptSource.debian(sources, release: "bookworm") == [
            AptSource(uri: "http://deb.debian.org/debian", suites: ["bookworm", "bookworm-updates"], components: ["main"]),
        ])
    }

    @Test func readsHostStyleFolderIgnoringDisabledFiles() throws {
        let etc = try TemporaryFolder()
        let parts = etc.url.appendingPathComponent("sources.list.d")
        try FileManager.default.createDirectory(at: parts, withIntermediateDirectories: true)
        try "Types: deb\nURIs: http://m/debian\nSuites: bookworm\nComponents: main\n"
            .write(to: parts.appendingPathComponent("debian.sources"), atomically: true, encoding: .utf8)
        try "deb http://other/x stable main\n"
            .write(to: parts.appendingPathComponent("other.list.disabled-by-farm"), atomically: true, encoding: .utf8)
        #expect(try AptSource.hostSources(etc: etc.url) == [
            AptSource(uri: "http://m/debian", suites: ["bookworm"], components: ["main"]),
        ])
    }

    @Test func sourcesListLinesCarryTheKeyring() {
        let source = AptSource(uri: "http://m/debian/", suites: ["bookworm", "bookworm-updates"], components: ["main"])
        #expect(source.sourcesListLines(keyring: "/k.gpg") == [
            "deb [signed-by=/k.gpg] http://m/debian bookworm main",
            "deb [signed-by=/k.gpg] http://m/debian bookworm-updates main",
        ])
    }
}
