// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing
import XenConfig

@Suite("What DomD is given")
struct PassthroughPlanTests {
    @Test("irqs are SPI + 32, each once, sorted; iomem merges shared pages")
    func irqsAndIomem() throws {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        configuration = TestSupport.replacing("keys0", in: configuration) { facts in
            facts.interrupts = [108, 10]        // shares SPI 108 with usb-ehci0
            facts.reg = [RegRange(address: 0xee080000, size: 0x100)]  // shares ehci0's page
        }
        let plan = try PassthroughPlan(configuration: configuration)
        #expect(plan.irqs.filter { $0 == 108 + 32 }.count == 1)
        #expect(plan.irqs.contains(10 + 32))
        #expect(plan.irqs == plan.irqs.sorted())
        #expect(plan.iomem.filter { $0.firstFrame == 0xee080 }.count == 1)
    }

    @Test("dtdev lists exactly the devices behind an IOMMU")
    func dtdevOnlyForIOMMU() throws {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let plainPlan = try PassthroughPlan(configuration: configuration)
        #expect(plainPlan.dtdev.isEmpty)
        configuration = TestSupport.replacing("display0", in: configuration) { $0.iommu = true }
        let plan = try PassthroughPlan(configuration: configuration)
        #expect(plan.dtdev == ["/soc/display@feb00000"])
        #expect(!plan.unprotected.map(\.id).contains("display0"))
        let text = try #require(try DomDConfigWriter().text(for: configuration, plan: plan))
        #expect(text.contains("dtdev = [ \"/soc/display@feb00000\" ]\n"))
    }

    @Test("a device in Xen's grant-table window cannot be mapped 1:1")
    func grantTableClash() throws {
        let configuration = TestSupport.replacing("usb-ehci0", in: try TestSupport.configuration(image: "rcar-h3-cockpit")) {
            $0.reg = [RegRange(address: 0x38200000, size: 0x10000)]  // where i.MX8MQ's usb@38200000 is
        }
        #expect(throws: XenConfigError.iomemOverlapsGuestRegion(
            device: "usb-ehci0", firstFrame: 0x38200, pageCount: 0x10,
            region: "GUEST_GNTTAB, the grant-table window (0x38000000)")) {
            _ = try PassthroughPlan(configuration: configuration)
        }
    }

    @Test("DomD's own RAM grows over device addresses when its memory is large", arguments: [
        (UInt64(512) << 20, false),
        (UInt64(3) << 30, true),     // RAM0 then ends at 0x100000000, past the DU at 0xfeb00000
    ])
    func ramClash(memory: UInt64, clashes: Bool) throws {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        configuration.image.driverDomain.memory = ByteCount(bytes: memory)
        var thrown: XenConfigError?
        do {
            _ = try PassthroughPlan(configuration: configuration)
        } catch {
            thrown = error
        }
        #expect((thrown != nil) == clashes)
        if case .iomemOverlapsGuestRegion(_, _, _, let region)? = thrown {
            #expect(region.hasPrefix("the domain's RAM"))
        }
    }

    @Test("virtual devices (provided_by) are not passed through")
    func qemuHasNothing() throws {
        let plan = try PassthroughPlan(configuration: TestSupport.configuration(image: "qemu-virt-arm64"))
        #expect(plan.isEmpty)
        #expect(plan.irqs.isEmpty && plan.iomem.isEmpty && plan.dtdev.isEmpty)
    }
}
