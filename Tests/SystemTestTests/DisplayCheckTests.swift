// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import QEMURunner
@testable import SystemTest
import Testing

@Suite("displif check of driverdom test")
struct DisplayCheckTests {
    @Test("the default image tests its guest's first vdispl connector on the vkms connector it is bound to")
    func planOfTheDefaultImage() throws {
        let configuration = try SessionKitTests.configuration()
        let plan = try #require(DisplayTestPlan.plan(for: configuration))
        #expect(plan == DisplayTestPlan(width: 1024, height: 768, domdCard: "/dev/dri/card0", domdConnector: "Virtual-1"))
        #expect(DisplayTestPlan.guestCount(configuration) == 1)
        #expect(Probes.products(sound: true, display: true).contains(Probes.displayProbe))
        #expect(!Probes.products(sound: true).contains(Probes.displayProbe))
    }

    @Test("an image without vdispl has no display check")
    func noDisplayNoPlan() throws {
        var configuration = try SessionKitTests.configuration()
        for index in configuration.image.guests.indices { configuration.image.guests[index].vdispl = [] }
        #expect(DisplayTestPlan.plan(for: configuration) == nil)
        #expect(DisplayTestPlan.guestCount(configuration) == 0)
    }

    @Test("the guest flips the test frames only when its command line says it has a vdispl")
    func guestScript() {
        let plan = DisplayTestPlan(width: 1024, height: 768, domdCard: "/dev/dri/card0", domdConnector: "Virtual-1")
        let script = SessionScripts.guestTest(evdevModule: "/lib/modules/evdev.ko", display: plan)
        #expect(script.contains("if grep -q \(SessionScripts.displayFlag) /proc/cmdline; then"))
        #expect(script.contains("e2e-display-probe show /dev/dri/card0 Virtual-1 1024 768"))
        #expect(script.contains("displif-flips"))
        #expect(script.contains("Frame done timed-out"))
        #expect(!SessionScripts.guestTest(evdevModule: "/lib/modules/evdev.ko").contains("e2e-display-probe"))
    }

    @Test("the guest loads the build's test modules in their load order, each once")
    func guestLoadsTestModules() {
        let script = SessionScripts.guestTest(evdevModule: "/lib/modules/evdev.ko", guestModuleFolder: "/lib/modules/test")
        #expect(script.contains("( for module in $(cat /lib/modules/test/load-order); do load_module /lib/modules/test/$module; done ) &"))
        #expect(script.contains("[ -d /sys/module/$(echo $name | tr - _) ] || insmod $1"))
    }

    @Test("DomD watches the bound connector once the backend holds the card, dom0 relays its verdict")
    func domdScripts() {
        let plan = DisplayTestPlan(width: 800, height: 600, domdCard: "/dev/dri/card1", domdConnector: "HDMI-A-1")
        let watcher = SessionScripts.domdDisplay(plan)
        #expect(watcher.contains("grep -q \"/dev/dri/card1\""))
        #expect(watcher.contains("exec e2e-display-probe watch /dev/dri/card1 HDMI-A-1 800 600"))
        #expect(watcher.contains("displif-scanout"))
        let dom0 = SessionScripts.dom0Test(guests: ["DomU"], domd: "DomD", guestSeconds: 120, display: true)
        #expect(dom0.contains("until grep -q \"driverdom-test: verdict displif-scanout\""))
        #expect(dom0.contains("say \"verdict displif-flips FAIL guest $guest was not created\""))
        #expect(!SessionScripts.dom0Test(guests: ["DomU"], domd: "DomD", guestSeconds: 120).contains("displif"))
    }

    @Test("displif passes only with both verdicts, and fails on either failing")
    func report() {
        func verdict(_ check: String, _ passed: Bool) -> LayerVerdict {
            LayerVerdict(layer: check, passed: passed, detail: "d")
        }
        let both = TestReport.judge(layers: ["displif"], checks: BuiltinLayers.checks, guests: 1,
                                    verdicts: [verdict("displif-flips", true), verdict("displif-scanout", true)], runFailure: nil)
        #expect(both.passed)
        let torn = TestReport.judge(layers: ["displif"], checks: BuiltinLayers.checks, guests: 1,
                                    verdicts: [verdict("displif-flips", true), verdict("displif-scanout", false)], runFailure: nil)
        #expect(!torn.passed)
        let missing = TestReport.judge(layers: ["displif"], checks: BuiltinLayers.checks, guests: 1, verdicts: [verdict("displif-flips", true)], runFailure: nil)
        #expect(!missing.passed)
    }

    @Test("the display guest gets the display flag on its command line")
    func displayFlag() throws {
        let kit = SessionKit(configuration: try SessionKitTests.configuration(), kind: .test)
        let folder = try SessionKitTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("guest.cfg")
        try Data("name = \"DomU\"\n".utf8).write(to: config)
        try kit.giveKernel(to: config, path: "/etc/xen/driverdom/guest.cfg", display: true)
        #expect(try String(contentsOf: config, encoding: .utf8).contains(SessionScripts.displayFlag))
    }
}
