// SPDX-License-Identifier: Apache-2.0
import Licensing
import Testing

@Suite("debian/copyright (DEP-5) to SPDX")
struct DebianCopyrightTests {
    @Test(arguments: [
        ("GPL-2", "GPL-2.0-only"), ("GPL-2+", "GPL-2.0-or-later"), ("LGPL-2.1+", "LGPL-2.1-or-later"),
        ("GPL-3.0+", "GPL-3.0-or-later"), ("GPL-2.0", "GPL-2.0-only"), ("AGPL-3", "AGPL-3.0-only"),
        ("GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later"), ("Expat", "MIT"), ("BSD-3-clause", "BSD-3-Clause"),
        ("Apache-2", "Apache-2.0"), ("zlib", "Zlib"), ("GPL-2.0-or-later", "GPL-2.0-or-later"),
        ("GPL-2 with Linux-syscall-note exception", "GPL-2.0-only WITH Linux-syscall-note"),
    ])
    func mapsDebianShortNames(name: String, spdx: String) {
        #expect(DebianLicenseName.term(name)?.description == spdx)
    }

    @Test(arguments: ["public-domain", "GPL", "LPGL-2.1+", "other", "GPL-2+ with Nonexistent exception"])
    func leavesUnknownNamesUnmapped(name: String) {
        #expect(DebianLicenseName.term(name) == nil)
    }

    static let dep5 = """
        Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
        Upstream-Name: demo

        Files: *
        Copyright: 2020 Someone
        License: GPL-2+ or BSD-3-clause

        Files: lib/*
        Copyright: 2021 Else
        License: LPGL-2.1+

        Files: debian/*
        Copyright: 2022 Packager
        License: GPL-2+

        License: LPGL-2.1+
         This library is free software.
         .
         Second paragraph.
        """

    @Test func machineReadableFileDeclaresTheConjunctionOfItsParagraphs() throws {
        let declared = DebianCopyright.declaredLicense(of: Self.dep5, scope: "demo", file: "demo/copyright")
        guard case let .expression(expression, references) = declared else {
            Issue.record("expected an expression, got \(declared)")
            return
        }
        #expect(expression.description == "(GPL-2.0-or-later OR BSD-3-Clause) AND LicenseRef-demo-LPGL-2.1-plus AND GPL-2.0-or-later")
        #expect(references == [ExtractedLicense(id: "LicenseRef-demo-LPGL-2.1-plus", name: "LPGL-2.1+",
                                                text: "This library is free software.\n\nSecond paragraph.")])
        #expect(expression.listProblems().isEmpty)
    }

    @Test func commaGroupsHaveTheLowestPrecedence() throws {
        let text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: x\nLicense: GPL-2+ or MIT, and Zlib\n"
        let declared = DebianCopyright.declaredLicense(of: text, scope: "s", file: "f")
        #expect(declared.expression?.description == "(GPL-2.0-or-later OR MIT) AND Zlib")
    }

    @Test func freeFormFileIsNoAssertionWithTheReason() {
        let declared = DebianCopyright.declaredLicense(of: "This is the Debian package of libc.\n\nGPL.", scope: "glibc",
                                                       file: "/usr/share/doc/libc6/copyright")
        #expect(declared == .noAssertion(reason: "/usr/share/doc/libc6/copyright is not machine-readable (no DEP-5 'Format:' line)"))
    }

    @Test func copyrightHoldersAreListedOnce() {
        #expect(DebianCopyright.copyrightHolders(of: Self.dep5) == ["2020 Someone", "2021 Else", "2022 Packager"])
    }
}
