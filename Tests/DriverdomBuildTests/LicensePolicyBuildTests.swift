// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The build checks every package its rootfs carry, dependencies included: in a
/// copy of the sources whose site policy denies Zlib, the build stops at the
/// licenses step on zlib1g (which no config names: the control domain's Xen
/// tools pull it in), as a located configuration error, leaving no output.
@Suite("License policy in driverdom build", .serialized,
       .enabled(if: EndToEnd.skipReason == nil, EndToEnd.skipReason ?? ""))
struct LicensePolicyBuildTests {
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")

    @Test func aDeniedDependencyStopsTheBuildAtTheRule() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sources = scratch.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        let copy = try DriverdomProcess.run([
            "sh", "-c", "tar -C \"$0\" --exclude='./.build*' --exclude=./.git --exclude=./out -cf - . | tar -C \"$1\" -xf -",
            repositoryRoot.path, sources.path,
        ])
        try #require(copy.status == 0, "cannot copy the sources: \(copy.stderr)")
        let policy = sources.appendingPathComponent("license-policy.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8)
        let denied = text.replacingOccurrences(of: "deny: [GPL-3.0-only,", with: "deny: [Zlib, GPL-3.0-only,")
        try #require(denied != text)
        try denied.write(to: policy, atomically: true, encoding: .utf8)

        // driverdom check cannot see it (zlib1g is a dependency, not named) ...
        let check = try DriverdomProcess.run([DriverdomProcess.executable!, "check", EndToEnd.image,
                                              "--cache", EndToEnd.cache], in: sources)
        #expect(check.status == 0, "\(check.stderr)")
        // ... the build does, and says where.
        let out = scratch.appendingPathComponent("out")
        let build = try DriverdomProcess.run([DriverdomProcess.executable!, "build", EndToEnd.image, "--out", out.path],
                                             environment: ["DRIVERDOM_CACHE": EndToEnd.cache], in: sources)
        #expect(build.status == 2, "\(build.stderr)")
        // The version is the lock's: `package 'zlib1g' VERSION (Debian source zlib VERSION)`.
        #expect(build.stderr.split(separator: "\n").contains { line in
            line.hasPrefix("license-policy.yaml:6:8: error: package 'zlib1g' ") && line.contains("(Debian source zlib ")
                && line.hasSuffix(") is licensed 'Zlib': 'Zlib' is denied by the rule at license-policy.yaml:6:8")
        }, "\(build.stderr)")
        #expect(build.stderr.contains("the license policy refuses 1 component"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "a refused build promotes nothing")
    }
}
