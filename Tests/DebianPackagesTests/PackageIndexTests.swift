// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DebianPackages

@Suite struct PackageIndexTests {
    static let index = """
    Package: libc6
    Source: glibc
    Version: 2.36-9+deb12u14
    Architecture: arm64
    Description: GNU C Library: Shared libraries
     Contains the standard libraries.
     .
     Second paragraph.
    Filename: pool/main/g/glibc/libc6_2.36-9+deb12u14_arm64.deb
    Size: 2317640
    SHA256: 1111111111111111111111111111111111111111111111111111111111111111

    Package: libc6-dbg
    Version: 2.36-9+deb12u14
    Architecture: arm64
    Filename: pool/main/g/glibc/libc6-dbg_2.36-9+deb12u14_arm64.deb
    Size: 10
    SHA256: 2222222222222222222222222222222222222222222222222222222222222222

    Package: tzdata
    Version: 2025b-0+deb12u1
    Architecture: all
    Filename: pool/main/t/tzdata/tzdata_2025b-0+deb12u1_all.deb
    Size: 255000
    SHA256: 3333333333333333333333333333333333333333333333333333333333333333

    """

    @Test func findsOnlyTheNamedPackages() {
        let found = PackageIndex.entries(in: Data(Self.index.utf8), named: ["libc6", "tzdata", "absent"])
        #expect(found.keys.sorted() == ["libc6", "tzdata"])
        #expect(found["libc6"] == [IndexEntry(name: "libc6", version: "2.36-9+deb12u14", architecture: "arm64",
                                              filename: "pool/main/g/glibc/libc6_2.36-9+deb12u14_arm64.deb",
                                              size: 2317640, sha256: String(repeating: "1", count: 64))])
        #expect(found["tzdata"]?.first?.architecture == "all")
    }

    @Test func aPrefixOfANameDoesNotMatch() {
        #expect(PackageIndex.entries(in: Data(Self.index.utf8), named: ["libc"]).isEmpty)
    }

    @Test func readsTheSHA256ListOfARelease() {
        let release = """
        Origin: Debian
        Codename: bookworm
        MD5Sum:
         0123 99 main/binary-arm64/Packages
        SHA256:
         abcd 49434864 main/binary-arm64/Packages
         ef01 18630901 main/binary-arm64/Packages.xz
        """
        let entries = SignedIndex.sha256Entries(ofRelease: release)
        #expect(entries["main/binary-arm64/Packages"]?.sha256 == "abcd")
        #expect(entries["main/binary-arm64/Packages"]?.size == 49434864)
        #expect(entries["main/binary-arm64/Packages.xz"]?.size == 18630901)
        #expect(entries.count == 2)
    }
}
