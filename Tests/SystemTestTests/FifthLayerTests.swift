// SPDX-License-Identifier: Apache-2.0
import DriverdomBuild
import DriverdomConfig
import Foundation
import QEMURunner
@testable import SystemTest
import Testing

/// A fifth layer touches no host module: `Tests/Fixtures/fifth-layer` holds a
/// layer of a protocol driverdom's host code has never heard of (`vtone`), which
/// its image takes through `includes:`. Its protocol, xenstore folder, option
/// and device arguments and its end-to-end check come from its layer.yaml alone,
/// and reach DomD's service table, the test session's scripts and the report.
/// Its backend is a vendor package under the fixture (`backends/vtone`);
/// ProductEndToEndTests builds the image with it into a DomD initramfs.
@Suite("A fifth layer from layer.yaml alone")
struct FifthLayerTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().standardizedFileURL.path
    static let image = packageRoot + "/Tests/Fixtures/fifth-layer/Images/fifth.yaml"

    static func configuration() throws -> Configuration {
        try Repository.find(from: image, builtin: Repository(root: packageRoot)).loadImage(at: image)
    }

    @Test("the fixture's protocol appears nowhere in the host sources")
    func noHostModuleNamesIt() throws {
        let sources = URL(fileURLWithPath: Self.packageRoot + "/Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 100)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("vtone"), "\(file.path) names the fixture protocol")
            #expect(!text.contains("fifth-layer"), "\(file.path) names the fixture")
        }
    }

    @Test("the layer describes itself: protocol, xenstore folder, frontend, arguments, check")
    func layerLoadsThroughIncludes() throws {
        let configuration = try Self.configuration()
        let layer = try #require(configuration.layers.first { $0.name == "vtone" })
        #expect(layer.directory == Self.packageRoot + "/Tests/Fixtures/fifth-layer/collection/Layers/vtone")
        #expect(layer.protocolName == "vtone")
        #expect(layer.xenstoreFolder == "vtone")
        #expect(layer.frontend == GuestDeviceKind.none)
        #expect(layer.check.verdicts == ["vtone-connected"])
        #expect(layer.check.teardown)
        #expect(layer.executable == "vtone-backend")
        #expect(layer.backendPackage == Self.packageRoot + "/Tests/Fixtures/fifth-layer/backends/vtone")
        #expect(configuration.layers.map(\.name) == ["vtone"])
    }

    @Test("DomD's service table runs its backend with the arguments its layer.yaml maps")
    func serviceTable() throws {
        let table = DomDServices.table(for: try Self.configuration())
        let service = try #require(table.services.first { $0.name == "vtone" })
        #expect(service.program == "/usr/bin/vtone-backend")
        // Options sorted by name with their declared flags, then the sound device's facts as mapped.
        #expect(service.arguments == ["--fade", "--hz", "1000", "--card", "Loopback", "hw:Loopback,0,0"])
        #expect(table.modules.map(\.name).contains("snd-aloop"))
        let text = try DomDServices.text(for: try Self.configuration())
        #expect(text.contains("vtone-backend"))
    }

    @Test("the test session runs its guest check, checks its xenstore folder's teardown and judges its verdicts")
    func sessionAndReport() throws {
        let configuration = try Self.configuration()
        let kit = SessionKit(configuration: configuration, kind: .test)
        #expect(kit.layerChecks(of: "DomU") == ["vtone"])
        let dom0 = kit.dom0Script(sound: false)
        #expect(dom0.contains("node=/local/domain/$backend_domid/backend/vtone/$guestid"))
        #expect(dom0.contains("verdict vtone-teardown PASS"))
        #expect(dom0.contains("verdict vtone-connected FAIL guest $guest was not created"))
        let guest = kit.guestInit(sound: nil)
        #expect(guest.contains(SessionScripts.layerChecksFlag))

        for script in [dom0, guest] {
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-n", "-c", script]
            try shell.run()
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0, "sh -n refused:\n\(script)")
        }

        let expected = LayerChecks(configuration: configuration)
        #expect(expected.checks["vtone"] == ["vtone-connected", "vtone-teardown"])
        #expect(expected.checks.keys.sorted() == ["vtone"])
        func judge(_ lines: [String]) -> TestReport {
            var watcher = ConsoleWatcher()
            for line in lines { watcher.consume(line, at: 1) }
            return TestReport.judge(layers: ["vtone"], checks: expected.checks, guests: 1,
                                    guestsPerLayer: expected.guestsPerLayer, checkCounts: expected.checkCounts,
                                    verdicts: watcher.verdicts, runFailure: nil)
        }
        let passed = judge(["[DomU] driverdom-test: verdict vtone-connected PASS vtone-0 is Connected",
                            "driverdom-test: verdict vtone-teardown PASS removed"])
        #expect(passed.passed)
        let missing = judge(["driverdom-test: verdict vtone-teardown PASS removed"])
        #expect(!missing.passed)
        #expect(missing.layers.last?.outcome == .failed("vtone-connected: 1 of 1 guest(s) printed no verdict"))
    }

    @Test("the example product's keymap layer declares its own check, in valid shell, run in its guest")
    func exampleProductDeclaresItsCheck() throws {
        let image = Self.packageRoot + "/Examples/product/Images/product.yaml"
        let configuration = try Repository.find(from: image, builtin: Repository(root: Self.packageRoot)).loadImage(at: image)
        let keymap = try #require(configuration.layers.first { $0.name == "keymap" })
        let script = try #require(keymap.check.guestScript)
        #expect(keymap.check.verdicts == ["keymap"])
        #expect(script.contains("driverdom-test: verdict keymap $*"))
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-n", "-c", script]
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        let expected = LayerChecks(configuration: configuration)
        #expect(expected.checks == ["keymap": ["keymap", "keymap-teardown"], "sndif": ["sndif-playback", "sndif-capture"]])
        #expect(SessionKit(configuration: configuration, kind: .test).layerChecks(of: "DomU") == ["keymap"])
    }
}
