// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore

/// Ports the image gives host devices (`--bind GUEST DEVID PORT DEVICE`): the
/// backend in DomD writes the controller's `port/N` itself, because libxl's
/// usbdev_add refuses a backend outside dom0.
@Suite struct PortBindingTests {
    let guest = DomainID(2)

    func scenario(_ bindings: [GuestBinding]) throws -> UsbScenario {
        let scenario = UsbScenario(options: UsbIfOptions(bindings: GuestBindings(bindings)))
        try scenario.toolstack.nameDomain(guest, "DomU")
        return scenario
    }

    func port(_ scenario: UsbScenario, _ number: Int, devid: UInt32 = 0) -> String? {
        scenario.toolstack.read(scenario.backendPath(frontend: guest, devid: devid) + "/port/\(number)")
    }

    @Test func aBusPathBindingIsWrittenAndAttachedAtConnect() throws {
        let scenario = try scenario([GuestBinding(guest: "DomU", id: "0", direction: "2", target: "1-1")])
        scenario.host.plug(UsbBusID("1-1")!, speed: .high)
        try scenario.start()
        let frontend = try scenario.addController(domain: guest, numPorts: "4")
        try scenario.run()
        #expect(port(scenario, 2) == "1-1")
        #expect(port(scenario, 1) == "")
        try frontend.connect(state: .connected)
        try scenario.run()
        #expect(try frontend.connEvents() == [UsbConnEvent(id: 0, port: 2, speed: UsbSpeed.high.rawValue)])
        #expect(scenario.log.contains { $0.contains("port 2: assigned 1-1 for guest DomU") })
    }

    @Test func bindingsOfAnotherGuestOrControllerAreNotUsed() throws {
        let scenario = try scenario([GuestBinding(guest: "Other", id: "0", direction: "1", target: "1-1"),
                                     GuestBinding(guest: "DomU", id: "1", direction: "1", target: "1-2")])
        scenario.host.plug(UsbBusID("1-1")!)
        scenario.host.plug(UsbBusID("1-2")!)
        try scenario.start()
        _ = try scenario.addController(domain: guest, numPorts: "2")
        _ = try scenario.addController(domain: guest, devid: 1, numPorts: "2")
        try scenario.run()
        #expect(port(scenario, 1) == "")
        #expect(port(scenario, 1, devid: 1) == "1-2")
    }

    @Test func aVendorProductBindingFollowsTheDeviceWhereverItIsPlugged() throws {
        let ids = UsbVendorProduct("1d6b:0104")!
        let scenario = try scenario([GuestBinding(guest: "DomU", id: "0", direction: "1", target: ids.description)])
        try scenario.start()
        let frontend = try scenario.addController(domain: guest, numPorts: "2")
        try scenario.run()
        #expect(port(scenario, 1) == "")  // nothing plugged yet
        #expect(scenario.log.contains { $0.contains("no 1d6b:0104 on the bound controller yet") })
        try frontend.connect(state: .connected)
        try scenario.run()
        scenario.host.plug(UsbBusID("1-1")!, speed: .full, vendor: 0x1234, product: 0x5678)  // another device
        scenario.host.plug(UsbBusID("1-2")!, speed: .full, vendor: ids.vendor, product: ids.product)
        try scenario.run()
        #expect(port(scenario, 1) == "1-2")
        #expect(try frontend.connEvents() == [UsbConnEvent(id: 0, port: 1, speed: UsbSpeed.full.rawValue)])
        scenario.host.unplug(UsbBusID("1-2")!)
        scenario.host.plug(UsbBusID("1-3")!, speed: .full, vendor: ids.vendor, product: ids.product)
        try scenario.run()
        #expect(port(scenario, 1) == "1-3")
        #expect(try frontend.connEvents().map { [$0.port, $0.speed] } == [[1, 0], [1, UsbSpeed.full.rawValue]])
    }

    @Test func aVendorProductOnAnotherBusIsNotTaken() throws {
        let scenario = UsbScenario(options: UsbIfOptions(buses: [1], bindings: GuestBindings([
            GuestBinding(guest: "DomU", id: "0", direction: "1", target: "abcd:0001")])))
        try scenario.toolstack.nameDomain(guest, "DomU")
        scenario.host.plug(UsbBusID("2-1")!, vendor: 0xabcd, product: 1)
        try scenario.start()
        _ = try scenario.addController(domain: guest, numPorts: "1")
        try scenario.run()
        #expect(port(scenario, 1) == "")
    }

    @Test func aGoneFrontendTakesItsControllerAndTheGuestsEmptyFolderAlong() throws {
        let scenario = try scenario([])
        try scenario.start()
        _ = try scenario.addController(domain: guest, numPorts: "1")
        _ = try scenario.addController(domain: guest, devid: 1, numPorts: "1")
        try scenario.run()
        let folder = XenPath.parent(scenario.backendPath(frontend: guest))
        try scenario.toolstack.store.remove(XenPath.domain(guest) + "/device/vusb/0")
        try scenario.run()
        #expect(scenario.toolstack.read(scenario.backendPath(frontend: guest)) == nil)
        #expect(scenario.toolstack.read(folder) != nil)  // controller 1 is still there
        try scenario.toolstack.store.remove(XenPath.domain(guest) + "/device/vusb/1")
        try scenario.run()
        #expect(scenario.toolstack.read(scenario.backendPath(frontend: guest, devid: 1)) == nil)
        #expect(scenario.toolstack.read(folder) == nil)
    }

    @Test("vendor:product parsing", arguments: [
        ("1d6b:0104", "1d6b:0104"), ("ABCD:00ff", "abcd:00ff"), ("1d6b:104", nil), ("1d6b-0104", nil), ("1d6g:0104", nil),
        ("", nil), ("1d6b:01045", nil),
    ] as [(String, String?)])
    func vendorProduct(text: String, parsed: String?) {
        #expect(UsbVendorProduct(text)?.description == parsed)
    }

    @Test("--bind on the command line", arguments: [
        (["--bind", "DomU", "0", "1", "1-1"], nil),
        (["--bind", "DomU", "0", "1", "1d6b:0104"], nil),
        (["--bind", "DomU", "0", "0", "1-1"], .invalidValue(option: "--bind", value: "0", expected: "a port 1-31")),
        (["--bind", "DomU", "x", "1", "1-1"],
         .invalidValue(option: "--bind", value: "x", expected: "a controller devid (an unsigned number)")),
        (["--bind", "DomU", "0", "1", "usb1"],
         .invalidValue(option: "--bind", value: "usb1", expected: "a device as a bus path (1-1) or vendor:product (1d6b:0104)")),
        (["--bind", "DomU", "0", "1"], .invalidValue(option: "--bind", value: nil, expected: "GUEST DEVID PORT DEVICE")),
        (["--bind", "DomU", "0", "1", "1-1", "--bind", "DomU", "0", "1", "1-2"],
         .givenTwice("the binding of port 1 of controller 0 of guest 'DomU'")),
    ] as [([String], BackendArgumentError?)])
    func commandLine(arguments: [String], error: BackendArgumentError?) throws {
        let full = ["--usb-controller", "dummy_hcd.0"] + arguments
        if let error {
            #expect(throws: error) { try UsbIfCommandLine.parse(full) }
        } else {
            #expect(try UsbIfCommandLine.parse(full).bindings.entries.count == 1)
        }
    }
}
