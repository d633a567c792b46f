// SPDX-License-Identifier: Apache-2.0
import Foundation
import Licensing
import RootfsAssembly
import Testing
@testable import DriverdomBuild

@Suite("SBOM document (SPDX 2.3) from trees and components")
struct SBOMBuilderTests {
    private func tree(init bytes: String) throws -> StagedTree {
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/init", kind: .regularFile(.bytes(Array(bytes.utf8))), permissions: 0o755,
                                 origin: "init"))
        try tree.add(StagedEntry(path: "/lib/libc.so.6", kind: .regularFile(.bytes([0x7f, 0x45, 0x4c, 0x46, 1])),
                                 permissions: 0o644, origin: "libraries"))
        try tree.add(StagedEntry(path: "/sbin/init", kind: .symlink(target: "../init"), permissions: 0o777, origin: "init"))
        return tree
    }

    private func document(init bytes: String = "init v1") throws -> SPDXDocument {
        var builder = SBOMBuilder(subject: .init(imageName: "demo", epoch: 1_767_225_600,
                                                 archiveURI: "http://archive.invalid/debian"))
        var libc = LicensedComponent(kind: .debian, name: "libc6", version: "2.36-9", declared: nil,
                                     noAssertionReason: "not machine-readable", rootfs: ["domd"])
        libc.concluded = "LGPL-2.1-or-later AND LicenseRef-demo"
        libc.concludedReason = "read by a person"
        libc.filename = "pool/main/g/glibc/libc6_2.36-9_arm64.deb"
        libc.sha256 = String(repeating: "a", count: 64)
        libc.architecture = "arm64"
        libc.source = "glibc"
        let initComponent = LicensedComponent(kind: .driverdom, name: "driverdom-init", version: "src-1",
                                              declared: "GPL-2.0-only OR MIT", noAssertionReason: nil, rootfs: ["domd"])
        for component in [libc, initComponent] {
            builder.add(LicenseAudit.Row(component: component, shippedUnder: nil, verdict: "ok", obligations: []))
        }
        try builder.add(rootfs: "domd", tree: try tree(init: bytes)) { entry in
            entry.path == "/lib/libc.so.6" ? ("libc6", nil) : (nil, .component(kind: .driverdom, name: "driverdom-init"))
        }
        return builder.document(comment: "test")
    }

    @Test func regularFilesHaveBothChecksumsAndTheirProvenance() throws {
        let document = try document()
        #expect(document.files.map(\.fileName) == ["./init", "./lib/libc.so.6"], "symlinks are not SPDX files")
        #expect(document.files.allSatisfy { Set($0.checksums.map(\.algorithm)) == ["SHA1", "SHA256"] })
        let libcFile = try #require(document.files.first { $0.fileName == "./lib/libc.so.6" })
        #expect(document.relationships.contains(.init(libcFile.SPDXID, "GENERATED_FROM", "SPDXRef-Package-debian-libc6")))
        #expect(document.relationships.contains(.init("SPDXRef-Rootfs-domd", "CONTAINS", libcFile.SPDXID)))
        #expect(document.relationships.contains(.init("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image")))
        let ids = document.packages.map(\.SPDXID) + document.files.map(\.SPDXID)
        #expect(Set(ids).count == ids.count)
    }

    @Test func debianPackagesCarryLockFactsAndConclusions() throws {
        let document = try document()
        let libc = try #require(document.packages.first { $0.name == "libc6" })
        #expect(libc.downloadLocation == "http://archive.invalid/debian/pool/main/g/glibc/libc6_2.36-9_arm64.deb")
        #expect(libc.checksums?.first?.checksumValue == String(repeating: "a", count: 64))
        #expect(libc.licenseDeclared == "NOASSERTION")
        #expect(libc.licenseConcluded == "LGPL-2.1-or-later AND LicenseRef-demo")
        #expect(libc.externalRefs?.first?.referenceLocator == "pkg:deb/debian/libc6@2.36-9?arch=arm64")
        #expect(document.hasExtractedLicensingInfos?.map(\.licenseId) == ["LicenseRef-demo"],
                "a LicenseRef a conclusion uses is defined")
        let rootfs = try #require(document.packages.first { $0.SPDXID == "SPDXRef-Rootfs-domd" })
        #expect(rootfs.filesAnalyzed && rootfs.packageVerificationCode != nil)
    }

    @Test func sameContentSameBytesOtherContentOtherNamespace() throws {
        let first = try document().jsonData()
        #expect(first == (try document().jsonData()))
        let other = try document(init: "init v2")
        #expect(other.documentNamespace != (try document()).documentNamespace)
        #expect(try document().creationInfo.created == "2026-01-01T00:00:00Z")
    }
}
