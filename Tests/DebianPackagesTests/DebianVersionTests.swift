// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DebianPackages

@Suite struct DebianVersionTests {
    /// Each pair is strictly ascending, as `dpkg --compare-versions A lt B` says.
    @Test(arguments: [
        ("6.1.192-2", "6.1.192-3"), ("6.1.192-3", "6.1.193-1"), ("1.0~rc1-1", "1.0-1"), ("1.0-1", "1.0-1+b1"),
        ("1.2.13.dfsg-1", "1.2.13.dfsg-1+deb12u1"), ("1:1.0-1", "2:0.1-1"), ("9.9-9", "1:0.1-1"),
        ("1.5.4+dfsg2-5", "1.5.4+dfsg2-5+deb12u1"), ("2.36-9+deb12u9", "2.36-9+deb12u10"), ("1.0", "1.0-1"),
        ("1.0a", "1.0b"), ("1.0", "1.0a"), ("1.0~", "1.0"), ("1.0~~", "1.0~"), ("1.0a", "1.0+"), ("0010", "11"),
    ])
    func ordersLikeDpkg(lower: String, higher: String) {
        #expect(DebianVersion(lower) < DebianVersion(higher))
        #expect(!(DebianVersion(higher) < DebianVersion(lower)))
    }

    @Test func equalVersionsCompareEqual() {
        #expect(DebianVersion("0:1.0-1") == DebianVersion("1.0-1"))
        #expect(DebianVersion("1.01-1") == DebianVersion("1.1-1"))
    }

    /// The same pairs through dpkg itself, where it is installed.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg"), "needs dpkg"))
    func agreesWithDpkg() throws {
        let versions = ["1.0~rc1-1", "1.0-1", "1.0-1+b1", "1:0.9", "1.0a", "1.0+", "6.1.192-2", "6.1.192-10", "0.0.17+nmu1"]
        for a in versions {
            for b in versions {
                let dpkg = try? ProcessCommandRunner().run(Command(["dpkg", "--compare-versions", a, "lt", b]))
                #expect((DebianVersion(a) < DebianVersion(b)) == (dpkg != nil), "\(a) < \(b)")
            }
        }
    }
}
