// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
@testable import DomDInit

/// dom0's init places a guest's PV USB controller in a separate DomD: the nodes
/// libxl writes for a `qusb` usbctrl, with libxl's permissions, between
/// `xl create -p` and `xl unpause`, then it waits for the backend's InitWait.
@Suite("PV USB controllers placed in DomD by the control role")
struct UsbPlacementTests {
    static let bin = "/usr/lib/xen-4.17/bin"
    static let table = ServiceTable.xenControl(
        domd: DomainSpec(name: "DomD", config: "/etc/xen/domd.cfg"), awaitedBackends: [], guests: ["/etc/xen/guest.cfg"],
        usbControllers: [UsbControllerSpec(guest: "DomU", devid: 0, version: 2, ports: 2),
                         UsbControllerSpec(guest: "Other", devid: 0, version: 1, ports: 4)])

    func harness(state: [ScriptedProcessControl.ChildScript]) -> Harness {
        let harness = Harness(Self.table)
        harness.control.script(Self.bin + "/xl", [.exits(), .exits(output: "1\n"), .exits(), .exits(output: "2\n"),
                                                  .exits()])
        harness.control.script("/usr/bin/xenstore-read", state)
        harness.control.files["/etc/xen/guest.cfg"] = "name = \"DomU\"\n"
        harness.control.files[ControlRoleTests.modules + "modules.dep"] = ControlRoleTests.modulesDep
        harness.control.request(.powerOff, afterMilliseconds: 60_000)
        return harness
    }

    @Test("writes libxl's copy, the frontend and the backend, each with libxl's permissions, before unpausing")
    func placement() {
        let harness = harness(state: [.exits(output: "1\n"), .exits(output: "2\n")])
        harness.initSystem.run()
        let spawns = harness.control.spawned.map { [$0.program] + $0.arguments }
        let fe = "/local/domain/2/device/vusb/0"
        let be = "/local/domain/1/backend/qusb/2/0"
        let lx = "/libxl/2/device/vusb/0"
        let backendEntries = ["frontend", fe, "frontend-id", "2", "online", "1", "state", "1", "type", "qusb",
                              "usb-ver", "2", "num-ports", "2", "port", "", "port/1", "", "port/2", ""]
        func under(_ directory: String, _ pairs: [String]) -> [String] {
            pairs.enumerated().map { $0.offset % 2 == 0 ? directory + "/" + $0.element : $0.element }
        }
        #expect(Array(spawns.suffix(13)) == [
            [Self.bin + "/xl", "domid", "DomU"],
            ["/usr/bin/xenstore-chmod", "/local/domain/2/name", "n0", "r2", "r1"],
            ["/usr/bin/xenstore-write"] + under(lx, ["backend", be] + backendEntries),
            ["/usr/bin/xenstore-chmod", "-r", lx, "n0"],
            ["/usr/bin/xenstore-write", fe + "/backend", be, fe + "/backend-id", "1", fe + "/state", "1"],
            ["/usr/bin/xenstore-chmod", "-r", fe, "n2", "r1"],
            // DomD's backend may act on the controller at once: its folder is DomD's before the nodes exist.
            ["/usr/bin/xenstore-write", "/local/domain/1/backend/qusb/2", ""],
            ["/usr/bin/xenstore-chmod", "/local/domain/1/backend/qusb/2", "n1", "r2"],
            ["/usr/bin/xenstore-write"] + under(be, backendEntries),
            ["/usr/bin/xenstore-chmod", "-r", be, "n1", "r2"],
            ["/usr/bin/xenstore-read", be + "/state"],
            ["/usr/bin/xenstore-read", be + "/state"],
            [Self.bin + "/xl", "unpause", "DomU"],
        ])
        // Guest Other's controller is not DomU's.
        #expect(!spawns.contains { $0.contains("/local/domain/1/backend/qusb/2/1/type") })
        #expect(harness.logged("usbctrl 0 of guest DomU placed in DomD (" + be + ")"))
        #expect(!harness.logged("error"))
    }

    @Test("a backend that never takes the controller up is reported after 10 s; the guest still runs")
    func noBackend() {
        let harness = harness(state: [.exits(output: "1\n")])
        harness.initSystem.run()
        #expect(harness.logged("error: cannot give guest DomU USB controller 0 in DomD: DomD's usbif backend did not take"
                               + " up the controller within 10.000 s (/local/domain/1/backend/qusb/2/0/state never reached InitWait)"))
        #expect(harness.control.spawned.last.map { [$0.program] + $0.arguments } == [Self.bin + "/xl", "unpause", "DomU"])
    }

    @Test("a failing write stops that controller's placement and is reported")
    func writeFails() {
        let harness = harness(state: [.exits(output: "2\n")])
        harness.control.script("/usr/bin/xenstore-write", [.exits(.exited(1))])
        harness.initSystem.run()
        #expect(harness.logged("error: cannot give guest DomU USB controller 0 in DomD: /usr/bin/xenstore-write failed"))
        #expect(harness.control.spawned.filter { $0.program == "/usr/bin/xenstore-write" }.count == 1)
        #expect(harness.control.spawned.last?.arguments == ["unpause", "DomU"])
    }

    @Test("the table carries the controllers; without a DomD they are refused")
    func table() throws {
        let text = try ServiceTableWriter.write(Self.table)
        #expect(text.contains("\nusbctrl DomU 0 2 2\nusbctrl Other 0 1 4\n"))
        #expect(text.contains("\nxenstore-write /usr/bin/xenstore-write\n"))
        #expect(try ServiceTableParser.parse(text) == Self.table)
        var noDomD = Self.table
        noDomD.control.domd = nil
        #expect(throws: InitError.self) { try ServiceTableWriter.write(noDomD) }
    }

    @Test("bad usbctrl lines name their line", arguments: [
        ("usbctrl DomU 0 2", "'usbctrl' needs a guest name, a devid, a USB version and a port count"),
        ("usbctrl DomU 0 3 2", "usbctrl USB version 3 is not 1 or 2"),
        ("usbctrl DomU 0 2 32", "usbctrl port count 32 is not 1...31"),
        ("usbctrl Dom/U 0 2 2", nil),
    ] as [(String, String?)])
    func badLines(line: String, reason: String?) {
        let text = "driverdom-services 1\nrole control\ndomd DomD /etc/xen/domd.cfg\n" + line + "\n"
        do {
            _ = try ServiceTableParser.parse(text)
            Issue.record("parsed: \(line)")
        } catch {
            guard case let .parseServiceTable(number, message) = error else { Issue.record("\(error)"); return }
            #expect(number == 4)
            if let reason { #expect(message == reason) }
        }
    }

    @Test("usbctrl without a domd is refused at its line")
    func withoutDomD() {
        #expect(throws: InitError.parseServiceTable(line: 3, reason: "'usbctrl' places a controller in a separate DomD, but the table has no 'domd'")) {
            try ServiceTableParser.parse("driverdom-services 1\nrole control\nusbctrl DomU 0 2 2\n")
        }
    }
}
