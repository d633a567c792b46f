// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import Testing

/// Every `Fixtures/broken/Images/NAME.yaml` loads with exactly the diagnostics in
/// `NAME.expected` (paths relative to the fixture folder; empty: valid).
@Suite struct BrokenConfigTests {
    @Test func thereAreAtLeastThirtyBrokenCases() {
        let broken = Fixtures.brokenCaseNames.filter { name in
            let expected = try? String(contentsOfFile: Fixtures.broken + "/Images/\(name).expected", encoding: .utf8)
            return !(expected ?? "").isEmpty
        }
        #expect(broken.count >= 30, "only \(broken.count) broken cases")
    }

    @Test(arguments: Fixtures.brokenCaseNames)
    func diagnosticsMatchExpectation(name: String) throws {
        let root = Fixtures.broken
        let expectedText = try String(contentsOfFile: root + "/Images/\(name).expected", encoding: .utf8)
        let expected = expectedText.split(separator: "\n").map(String.init)
        var actual: [String] = []
        do {
            let configuration = try Repository(root: root).loadImage(at: root + "/Images/\(name).yaml")
            #expect(configuration.image.name == name)
        } catch {
            guard case .validationFailed(let diagnostics) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            actual = diagnostics.map { $0.formatted(relativeTo: root) }
        }
        #expect(actual == expected)
    }

    @Test(arguments: Fixtures.brokenCaseNames)
    func diagnosticsAreSortedAndNamePositions(name: String) throws {
        let root = Fixtures.broken
        do {
            _ = try Repository(root: root).loadImage(at: root + "/Images/\(name).yaml")
        } catch {
            guard case .validationFailed(let diagnostics) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(diagnostics == diagnostics.sorted())
            for diagnostic in diagnostics {
                #expect(diagnostic.location.line >= 1)
                #expect(diagnostic.location.column >= 1)
                let text = try String(contentsOfFile: diagnostic.location.path, encoding: .utf8)
                #expect(diagnostic.location.line <= text.split(separator: "\n", omittingEmptySubsequences: false).count)
            }
        }
    }
}
