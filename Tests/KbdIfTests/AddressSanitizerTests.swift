// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Foundation
import Testing

/// Reruns the hostile-frontend suites (10,000 seeded misbehaviours per protocol
/// state for kbdif, 10,000 for sndif, 10,000 for displif) in a separate build with AddressSanitizer,
/// so an out-of-bounds read or write of a mapped page fails the test suite, not
/// only a crash. The sanitized build is a second build of the whole package in its
/// own scratch folder (.build-asan): on 2 cores it costs more than the rest of the
/// suite's unit tests together, so it is opt-in (DRIVERDOM_ASAN=1). The default suite
/// keeps AddressSanitizer on the same decoding paths through the fuzz targets
/// (FuzzSmokeTests, `-sanitize=fuzzer,address`, a fraction of the build).
@Suite struct AddressSanitizerRun {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let skipReason: String? = {
        if ProcessInfo.processInfo.environment["DRIVERDOM_ASAN"] != "1" {
            return "set DRIVERDOM_ASAN=1 to rebuild the package with AddressSanitizer and rerun the hostile suites"
        }
        return swiftExecutable == nil ? "the swift driver is not on PATH" : nil
    }()

    static let swiftExecutable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map { "\($0)/swift" } + ["/opt/swift/usr/bin/swift"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    @Test("hostile frontends under AddressSanitizer: no crash, no hang, no leaked mapping",
          .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")), .timeLimit(.minutes(25)))
    func hostileFrontendsUnderAddressSanitizer() throws {
        let swift = try #require(Self.swiftExecutable)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-asan-\(getpid()).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: swift)
        process.arguments = ["test", "--package-path", Self.packageRoot.path,
                             "--scratch-path", Self.packageRoot.appendingPathComponent(".build-asan").path,
                             "--sanitize=address", "--filter", "HostileFrontendTests"]
        // LeakSanitizer is off: XCTest's own runner leaks two objects at exit, which
        // would fail every run. Leaked grant mappings are what matters here, and the
        // simulator's leak report checks those in the suites themselves.
        var environment = ProcessInfo.processInfo.environment
        environment["ASAN_OPTIONS"] = "detect_leaks=0"
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let tail = output.split(separator: "\n").suffix(40).joined(separator: "\n")
        #expect(process.terminationStatus == 0, "swift test --sanitize=address failed (log \(log.path)):\n\(tail)")
        #expect(!output.contains("ERROR: AddressSanitizer"), "AddressSanitizer reported an error:\n\(tail)")
        // Every suite must have run: a filter that matched nothing would pass vacuously.
        let passedSuites = output.split(separator: "\n").filter {
            $0.contains("HostileFrontendTests passed") && $0.contains("Suite ")
        }
        #expect(passedSuites.count == 4, "expected the kbdif, sndif, displif and usbif hostile suites to pass:\n\(tail)")
    }
}
