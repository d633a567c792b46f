// SPDX-License-Identifier: Apache-2.0
import DomDInit
import DriverdomConfig
import Foundation
import Testing
@testable import DriverdomBuild

/// docs/layer-contract.md against the code that applies it: the numbers of its
/// table are the init's defaults, and its example command line is what the build
/// writes into DomD's service table for the fixture product repo's vendor layer.
@Suite struct LayerContractTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().standardizedFileURL.path
    static var document: String {
        (try? String(contentsOfFile: packageRoot + "/docs/layer-contract.md", encoding: .utf8)) ?? ""
    }

    /// The value cell (between backticks) of the table row whose first cell is `fact`.
    static func tableValue(_ fact: String) -> String? {
        for line in document.split(separator: "\n") where line.hasPrefix("| \(fact) |") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return cells.last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
        }
        return nil
    }

    @Test func theTableStatesTheInitsNumbers() throws {
        let spec = ServiceSpec(name: "any", program: "/usr/bin/any")
        #expect(spec.readiness == .pipe)
        #expect(Self.tableValue("stop timeout (SIGTERM to SIGKILL)") == "\(spec.stopTimeoutMilliseconds) ms")
        #expect(Self.tableValue("restarts allowed") == "\(spec.maxRestarts)")
        #expect(Self.tableValue("first restart delay") == "\(spec.backoffMilliseconds) ms")
        #expect(Self.tableValue("restart delay cap") == "\(spec.maxBackoffMilliseconds) ms")
        #expect(Self.tableValue("program folder") == DomDServices.backendFolder)
        #expect(Self.tableValue("readiness descriptor") == "DRIVERDOM_READY_FD=3")
    }

    @Test func theExampleIsWhatTheBuildWritesForTheVendorLayer() throws {
        let lines = Self.document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let marker = try #require(lines.firstIndex(of: "<!-- contract-example: tone -->"))
        #expect(lines[marker + 1] == "```")
        let documented = lines[marker + 2]

        let fixtures = Self.packageRoot + "/Tests/DriverdomConfigTests/Fixtures"
        let image = fixtures + "/product/Images/product.yaml"
        let configuration = try Repository.find(from: image, builtin: Repository(root: Self.packageRoot)).loadImage(at: image)
        let binding = try #require(configuration.bindings.first { $0.layer.name == "tone" })
        #expect(binding.layer.directory == fixtures + "/vendor/Layers/tone")
        let service = DomDServices.table(for: configuration).services.first { $0.name == "tone" }
        let spec = try #require(service)
        #expect(([spec.program] + spec.arguments).joined(separator: " ") == documented)
        #expect(spec.readiness == .pipe)
    }
}
