// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DebianPackages
import DriverdomBuild
import DriverdomConfig
import Foundation
import QEMURunner
import SystemTest
import Testing

/// The full `driverdom test Images/qemu-virt-arm64.yaml` flow: build (cached
/// steps reused), session initramfs, Xen + dom0 + DomD + test guest under
/// qemu-system-aarch64, per-layer verdicts. Needs qemu-system-aarch64 and the
/// Debian mirror or a warm cache ($DRIVERDOM_CACHE or ~/.cache/driverdom).
@Suite("driverdom test under QEMU", .serialized)
struct EndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let imagePath = repository.appendingPathComponent("Images/qemu-virt-arm64.yaml").path

    /// Why the end-to-end test cannot run here, or nil when it can.
    static let skipReason: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard path.split(separator: ":").contains(where: {
            FileManager.default.isExecutableFile(atPath: "\($0)/qemu-system-aarch64")
        }) else {
            return "qemu-system-aarch64 is not installed (Debian: apt-get install qemu-system-arm)"
        }
        let cache = BuildLocations(output: nil, cache: nil).packageCache
        let archives = cache.appendingPathComponent("apt/arm64/archives")
        let warm = ((try? FileManager.default.contentsOfDirectory(atPath: archives.path)) ?? [])
            .contains { $0.hasPrefix("linux-image-") }
        if warm { return nil }
        guard let sources = try? AptSource.hostDebianSources(), let first = sources.first,
              let host = URL(string: first.uri)?.host, reachable(host: host) else {
            return "the Debian mirror is unreachable and the package cache \(cache.path) is cold"
        }
        return nil
    }()

    /// Whether a TCP connection to `host` port 80 opens within 3 s.
    static func reachable(host: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["3", "/bin/bash", "-c", "exec 3<>/dev/tcp/\(host)/80"]
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Builds the default image into `output` (cached steps reused); nil after recording why it failed.
    static func buildDefaultImage(into output: URL) throws -> (Configuration, BuildLocations)? {
        let configuration = try Repository.find(from: Self.imagePath).loadImage(at: Self.imagePath)
        let locations = BuildLocations(output: output.path, cache: nil)
        let builder = ImageBuilder(request: BuildRequest(imagePath: Self.imagePath, locations: locations,
                                                         progress: .quiet))
        let built = try builder.build(configuration, architecture: try builder.validate(configuration),
                                      reporter: ImageBuilder.reporter(for: .quiet),
                                      cancellation: CancellationToken())
        guard case .succeeded = built.result.status else {
            Issue.record("the build did not succeed: \(built.result.status)")
            return nil
        }
        return (configuration, locations)
    }

    @Test("the default image's backends pass the end-to-end checks (input, teardown, playback, capture, flips and scanout)",
          .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")),
          .timeLimit(.minutes(25)))
    func defaultImagePasses() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-e2e-\(getpid())")
        defer { try? FileManager.default.removeItem(at: output) }
        guard let (configuration, locations) = try Self.buildDefaultImage(into: output) else { return }
        let session = ImageSession(configuration: configuration, kind: .test, locations: locations)
        let machine = try session.prepare(packageRoot: Self.repository)
        var console = ""
        let outcome = try session.boot(machine, timeout: 600) { console += $0 }
        let report = session.report(outcome)
        let summary = (report.lines() + ["last console lines:"] + console.split(separator: "\n").suffix(40).map(String.init))
            .joined(separator: "\n")
        #expect(report.passed, Comment(rawValue: summary))
        #expect(outcome.console.readyAfter != nil, "the control domain never said all DomD backends were ready")
        #expect(report.layers.map(\.name) == ["kbdif", "sndif", "displif", "usbif"])
        // displif is checked end to end through xen-drm-front (built for the test guest); a layer
        // without a check of its own still had to start and report ready for the guest to be created.
        for layer in report.layers {
            switch layer.outcome {
            case .passed: break
            case .noCheck: if layer.name == "displif" { Issue.record("displif printed no end-to-end verdict") }
            case .failed(let detail): Issue.record("\(layer.name): \(detail)")
            }
        }
    }
}
