// SPDX-License-Identifier: Apache-2.0
import QEMURunner
import SystemTest
import Testing

@Suite("Per-layer verdicts of driverdom test")
struct TestReportTests {
    static let inputPass = LayerVerdict(layer: "kbdif", passed: true, detail: "74 key events and 4 pointer positions in order")
    static let teardownPass = LayerVerdict(layer: "kbdif-teardown", passed: true, detail: "backend nodes removed")

    @Test("the built-in layers declare the checks driverdom test judged them by before layers described themselves")
    func builtinLayersDeclareTheirChecks() {
        #expect(BuiltinLayers.checks == [
            "kbdif": ["kbdif", "kbdif-teardown"],
            "sndif": ["sndif-playback", "sndif-capture"],
            "displif": DisplayTestPlan.checks,
            "usbif": UsbTestPlan.checks,
        ])
    }

    @Test("kbdif passes only with a passing input check and a passing teardown check")
    func kbdifPasses() {
        let report = TestReport.judge(layers: ["kbdif"], checks: BuiltinLayers.checks, guests: 1, verdicts: [Self.inputPass, Self.teardownPass],
                                      runFailure: nil)
        #expect(report.passed)
        #expect(report.lines().last == "driverdom test: PASS")
    }

    @Test("a missing verdict fails the layer (backend removed from the image: the guest never prints one)",
          arguments: [[teardownPass], [inputPass], []])
    func missingVerdictFails(verdicts: [LayerVerdict]) {
        let report = TestReport.judge(layers: ["kbdif"], checks: BuiltinLayers.checks, guests: 1, verdicts: verdicts, runFailure: nil)
        #expect(!report.passed)
        guard case let .failed(detail) = report.layers[0].outcome else {
            Issue.record("expected kbdif to fail, got \(report.layers[0].outcome)")
            return
        }
        #expect(detail.contains("printed no verdict"))
    }

    @Test("a dropped event (the guest's FAIL verdict) fails the layer and names the check")
    func droppedEventFails() {
        let dropped = LayerVerdict(layer: "kbdif", passed: false, detail: "keyboard: expected KEY_Q press, got KEY_W press")
        let report = TestReport.judge(layers: ["kbdif"], checks: BuiltinLayers.checks, guests: 1, verdicts: [dropped, Self.teardownPass],
                                      runFailure: nil)
        #expect(!report.passed)
        #expect(report.lines().contains("kbdif: FAIL (kbdif: keyboard: expected KEY_Q press, got KEY_W press)"))
    }

    @Test("every guest must print each check's verdict")
    func everyGuestCounts() {
        let report = TestReport.judge(layers: ["kbdif"], checks: BuiltinLayers.checks, guests: 2, verdicts: [Self.inputPass, Self.teardownPass],
                                      runFailure: nil)
        #expect(!report.passed)
    }

    @Test("layers without a check are reported as such and never count as a pass",
          arguments: ["vnet", "netif"])
    func uncheckedLayer(layer: String) {
        let alone = TestReport.judge(layers: [layer], checks: BuiltinLayers.checks, guests: 1, verdicts: [], runFailure: nil)
        #expect(alone.layers[0].outcome == .noCheck)
        #expect(!alone.passed)
        #expect(alone.lines().first == "\(layer): no end-to-end check")
        let mixed = TestReport.judge(layers: ["kbdif", layer], checks: BuiltinLayers.checks, guests: 1,
                                     verdicts: [Self.inputPass, Self.teardownPass], runFailure: nil)
        #expect(mixed.layers[1].outcome == .noCheck)
        #expect(mixed.passed)
    }

    @Test("usbif passes only with its four checks passed: read, write, replug, teardown")
    func usbif() {
        let all = UsbTestPlan.checks.map { LayerVerdict(layer: $0, passed: true, detail: "ok") }
        #expect(TestReport.judge(layers: ["usbif"], checks: BuiltinLayers.checks, guests: 1, verdicts: all, runFailure: nil).passed)
        var corrupted = all
        corrupted[0] = LayerVerdict(layer: "usbif", passed: false, detail: "/dev/sda is not DomD's disk: differ: char 1234")
        let report = TestReport.judge(layers: ["usbif"], checks: BuiltinLayers.checks, guests: 1, verdicts: corrupted, runFailure: nil)
        #expect(!report.passed)
        #expect(report.lines().first == "usbif: FAIL (usbif: /dev/sda is not DomD's disk: differ: char 1234)")
        #expect(!TestReport.judge(layers: ["usbif"], checks: BuiltinLayers.checks, guests: 1, verdicts: Array(all.dropLast()), runFailure: nil).passed)
        // With the isochronous check, its verdict is needed too.
        let iso = ["usbif": [UsbTestPlan.isoCheck]]
        #expect(!TestReport.judge(layers: ["usbif"], checks: BuiltinLayers.checks, guests: 1, extraChecks: iso, verdicts: all, runFailure: nil).passed)
        let withIso = all + [LayerVerdict(layer: "usbif-iso", passed: true, detail: "288000 frames intact and in order")]
        #expect(TestReport.judge(layers: ["usbif"], checks: BuiltinLayers.checks, guests: 1, extraChecks: iso, verdicts: withIso, runFailure: nil).passed)
    }

    @Test("a run that died or timed out fails even with passing verdicts")
    func runFailure() {
        let report = TestReport.judge(layers: ["kbdif"], checks: BuiltinLayers.checks, guests: 1, verdicts: [Self.inputPass, Self.teardownPass],
                                      runFailure: "no verdict after 240 s")
        #expect(!report.passed)
        #expect(report.lines().contains("run: FAIL (no verdict after 240 s)"))
    }

    @Test("verdict lines relayed by dom0 with a guest prefix are read by the console watcher")
    func relayedVerdicts() {
        var watcher = ConsoleWatcher()
        watcher.consume("[DomU] driverdom-test: verdict kbdif PASS 74 key events and 4 pointer positions in order", at: 30)
        watcher.consume("driverdom-test: verdict kbdif-teardown PASS backend nodes of DomU removed", at: 31)
        watcher.consume("driverdom-test: finished", at: 32)
        let report = TestReport.judge(layers: ["kbdif"], checks: BuiltinLayers.checks, guests: 1, verdicts: watcher.verdicts, runFailure: nil)
        #expect(watcher.finished)
        #expect(report.passed)
    }

    static let playbackPass = LayerVerdict(layer: "sndif-playback", passed: true, detail: "96000 frames arrived intact and in order")
    static let capturePass = LayerVerdict(layer: "sndif-capture", passed: true, detail: "144000 frames intact and in order")

    @Test("sndif passes only with a passing playback check and a passing capture check")
    func sndifPasses() {
        let report = TestReport.judge(layers: ["kbdif", "sndif"], checks: BuiltinLayers.checks, guests: 1,
                                      verdicts: [Self.inputPass, Self.teardownPass, Self.playbackPass, Self.capturePass],
                                      runFailure: nil)
        #expect(report.passed)
        #expect(report.lines().contains("sndif: PASS (sndif-playback: 96000 frames arrived intact and in order; sndif-capture: 144000 frames intact and in order)"))
        let noCapture = TestReport.judge(layers: ["sndif"], checks: BuiltinLayers.checks, guests: 1, verdicts: [Self.playbackPass], runFailure: nil)
        #expect(!noCapture.passed)
        #expect(noCapture.lines().first == "sndif: FAIL (sndif-capture: 1 of 1 guest(s) printed no verdict)")
    }

    @Test("a lost period (a FAIL verdict from DomD) fails sndif and names the check")
    func sndifLostPeriod() {
        let lost = LayerVerdict(layer: "sndif-playback", passed: false, detail: "after frame 4799 came frame 5759, 960 frames lost")
        let report = TestReport.judge(layers: ["sndif"], checks: BuiltinLayers.checks, guests: 1, verdicts: [lost, Self.capturePass], runFailure: nil)
        #expect(!report.passed)
        #expect(report.lines().first == "sndif: FAIL (sndif-playback: after frame 4799 came frame 5759, 960 frames lost)")
    }

    @Test("a layer that no guest uses has no check to pass")
    func layerWithoutGuests() {
        let report = TestReport.judge(layers: ["kbdif", "sndif"], checks: BuiltinLayers.checks, guests: 1, guestsPerLayer: ["sndif": 0],
                                      verdicts: [Self.inputPass, Self.teardownPass], runFailure: nil)
        #expect(report.layers[1].outcome == .noCheck)
        #expect(report.passed)
    }
}
