// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing
import XenConfig

/// The generated text is pinned by the files in Fixtures/golden/<image>/. After an
/// intended change, regenerate them with
/// `driverdom config Images/<image>.yaml --out Tests/XenConfigTests/Fixtures/golden/<image>`
/// (then delete the .dtb/.dtbo files) and review the diff.
@Suite("Golden files")
struct GoldenFileTests {
    @Test("generated sources equal the golden files", arguments: ["rcar-h3-cockpit", "qemu-virt-arm64"])
    func golden(image: String) throws {
        let configuration = try TestSupport.configuration(image: image)
        let files = try XenConfigGenerator().sources(for: configuration)
        #expect(files.map(\.name).sorted() == (try TestSupport.fixtureNames(in: "golden/\(image)")))
        for file in files {
            let expected = try TestSupport.fixture("golden/\(image)/\(file.name)")
            #expect(file.text == expected, "\(file.name) differs from its golden file")
        }
    }
}
