// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing
import XenConfig

@Suite("Guest stanzas")
struct GuestConfigWriterTests {
    func guest(_ name: String, _ configuration: Configuration) throws -> Guest {
        try #require(configuration.image.guests.first { $0.name == name })
    }

    /// The cockpit with a PV USB controller on the board's EHCI given to guest IVI (the image
    /// itself leaves USB out: EHCI masters DMA behind no IOMMU).
    func cockpitWithUSB(_ devices: [VirtualUSBController.Device] = [.init(port: 1, hostbus: 1, hostaddr: 2)]) throws
        -> Configuration {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let index = try #require(configuration.image.guests.firstIndex { $0.name == "IVI" })
        configuration.image.guests[index].usbctrl = [VirtualUSBController(
            id: "ivi-usb", device: "usb-ehci0", version: 2, ports: 4, devices: devices)]
        return configuration
    }

    @Test("with a separate DomD every stanza names it; USB is a comment saying how dom0's init places it in DomD")
    func separate() throws {
        let configuration = try cockpitWithUSB([.init(port: 1, match: .busPath("1-1")),
                                                .init(port: 3, match: .vendorProduct(vendor: 0x1d6b, product: 0x104))])
        let text = try GuestConfigWriter().text(for: guest("IVI", configuration), in: configuration)
        let active = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        for key in ["vkb", "vdispl"] {
            let line = try #require(active.first { $0.hasPrefix("\(key) = ") })
            #expect(line.contains("\"backend=DomD,"))
        }
        #expect(text.contains("'CARD, backend=DomD,"))
        #expect(!active.contains { $0.hasPrefix("usbctrl") || $0.hasPrefix("usbdev") })
        #expect(text.contains("# usbctrl = [ \"type=qusb,version=2,ports=4\" ]"))
        #expect(text.contains("xl 4.17's usbctrl has no backend= key"))
        #expect(text.contains("libxl_device_usbdev_add refuses"))
        #expect(text.contains("dom0's driverdom init places each\n# controller in DomD after `xl create -p`"))
        #expect(text.contains("#   usbctrl 0 (ivi-usb) port 1: bus path 1-1\n"))
        #expect(text.contains("#   usbctrl 0 (ivi-usb) port 3: vendor:product 1d6b:0104\n"))
    }

    @Test("with DomD as dom0 no backend= is written and USB is active")
    func dom0() throws {
        var configuration = try cockpitWithUSB()
        configuration.image.driverDomain.mode = .dom0
        let text = try GuestConfigWriter().text(for: guest("IVI", configuration), in: configuration)
        #expect(!text.contains("backend="))
        #expect(text.contains("\nusbctrl = [ \"type=qusb,version=2,ports=4\" ]\n"))
        #expect(text.contains("\nusbdev = [ \"type=hostdev,hostbus=1,hostaddr=2,controller=0,port=1\" ]\n"))
        #expect(text.contains("backend-type=linux"))
        let files = try XenConfigGenerator().sources(for: configuration)
        #expect(files.map(\.name) == ["boot.cmd", "guest-Cluster.cfg", "guest-IVI.cfg"])
        // dom0 owns the devices itself: no overlay to apply, and no domU-to-domU channels need xsm=dummy.
        let script = try #require(files.first { $0.name == "boot.cmd" }).text
        #expect(!script.contains("fdt apply"))
        #expect(!script.contains("xsm=dummy"))
    }

    @Test("vkb pointer modes", arguments: [
        (VirtualKeyboard.PointerMode.none, "feature-disable-pointer=1", "width="),
        (.relative, "feature-abs-pointer=0", "width="),
        (.absolute, "feature-abs-pointer=1,width=800,height=480", "feature-disable-pointer"),
    ])
    func pointer(mode: VirtualKeyboard.PointerMode, present: String, absent: String) throws {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let index = try #require(configuration.image.guests.firstIndex { $0.name == "IVI" })
        configuration.image.guests[index].vkb[0].pointer = mode
        configuration.image.guests[index].vkb[0].width = 800
        configuration.image.guests[index].vkb[0].height = 480
        let text = try GuestConfigWriter().text(for: configuration.image.guests[index], in: configuration)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("vkb = ") })
        #expect(line.contains(present))
        #expect(!line.contains(absent))
    }

    @Test("a value that would break xl's spec-string syntax is refused", arguments: ["Media, Inc", "A;B", "x=y"])
    func unrepresentable(shortName: String) throws {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let index = try #require(configuration.image.guests.firstIndex { $0.name == "IVI" })
        configuration.image.guests[index].vsnd[0].shortName = shortName
        let guest = configuration.image.guests[index]
        #expect(throws: XenConfigError.self) {
            _ = try GuestConfigWriter().text(for: guest, in: configuration)
        }
        do {
            _ = try GuestConfigWriter().text(for: guest, in: configuration)
        } catch {
            guard case .unrepresentableValue(let field, let value, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(field == "short_name" && value == shortName)
        }
    }
}
