// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The repository follows the REUSE specification: every file names its
/// copyright and license (in a header or REUSE.toml) and every license used has
/// its text in LICENSES/.
@Suite(.enabled(if: SPDXTools.tool("reuse") != nil, "reuse is not in \(SPDXTools.venv) (.ci/install-deps installs it)"))
struct ReuseComplianceTests {
    @Test func reuseLintPasses() throws {
        let lint = try DriverdomProcess.run([SPDXTools.tool("reuse")!, "--root", repositoryRoot.path, "lint"])
        #expect(lint.status == 0, "reuse lint: \(lint.stdout.suffix(3000))")
        #expect(lint.stdout.contains("compliant with version"))
    }
}
