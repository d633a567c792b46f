// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Licensing
import Testing

/// The merge of the site-wide license-policy.yaml with an image's license_policy:.
@Suite struct LicensePolicyMergeTests {
    private func at(_ line: Int, _ file: String = "site") -> DriverdomConfig.SourceLocation {
        DriverdomConfig.SourceLocation(path: file, line: line, column: 1)
    }

    private func conclusion(_ package: String, _ license: String, _ line: Int, _ file: String) throws -> LicensePolicy.Conclusion {
        LicensePolicy.Conclusion(package: package, license: try LicenseExpression.parse(license), reason: file,
                                 location: at(line, file))
    }

    @Test func imageAddsDenialsReplacesAllowUnknownAndConclusionsPerPackage() throws {
        let site = LicensePolicy(deny: [.init(term: LicenseTerm("AGPL-3.0-only"), location: at(1))],
                                 allow: [.init(term: LicenseTerm("MIT"), location: at(2))],
                                 unknown: .deny, unknownLocation: at(3),
                                 concluded: ["a": try conclusion("a", "MIT", 4, "site"),
                                             "b": try conclusion("b", "ISC", 5, "site")])
        let image = LicensePolicy(deny: [.init(term: LicenseTerm("GPL-3.0-only"), location: at(1, "image"))],
                                  allow: nil, unknown: .warn, unknownLocation: at(2, "image"),
                                  concluded: ["b": try conclusion("b", "Zlib", 3, "image")])
        let merged = LicensePolicy.merged(site: site, image: image)
        #expect(merged.deny.map(\.term.license) == ["AGPL-3.0-only", "GPL-3.0-only"])
        #expect(merged.allow?.map(\.term.license) == ["MIT"], "no image allow list: the site's stays")
        #expect(merged.unknown == .warn)
        #expect(merged.concluded["a"]?.reason == "site")
        #expect(merged.concluded["b"]?.license.description == "Zlib")
    }

    @Test func anImageWithoutUnknownKeepsTheSitesTreatment() {
        let site = LicensePolicy(unknown: .deny, unknownLocation: at(3))
        #expect(LicensePolicy.merged(site: site, image: LicensePolicy()).unknown == .deny)
        #expect(LicensePolicy.merged(site: nil, image: nil).unknown == .warn)
    }
}
