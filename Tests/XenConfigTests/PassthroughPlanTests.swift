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
            facts.interrupts = [256, 10]        // shares SPI 256 with display0
            facts.reg = [RegRange(address: 0xfeb00000, size: 0x100)]  // shares the DU's first page
        }
        let plan = try PassthroughPlan(configuration: configuration)
        #expect(plan.irqs.filter { $0 == 256 + 32 }.count == 1)
        #expect(plan.irqs.contains(10 + 32))
        #expect(plan.irqs == plan.irqs.sorted())
        #expect(plan.iomem.filter { $0.firstFrame == 0xfeb00 }.count == 1)
    }

    @Test("dtdev lists exactly the nodes behind an IOMMU: the DMA and scan-out engines of sound and display")
    func dtdevOnlyForIOMMU() throws {
        var configuration = try TestSupport.configuration(image: "rcar-h3-cockpit")
        let plainPlan = try PassthroughPlan(configuration: configuration)
        #expect(plainPlan.dtdev == ["/soc/dma-controller@ec700000", "/soc/dma-controller@ec720000",
                                    "/soc/fcp@fea27000", "/soc/fcp@fea2f000", "/soc/fcp@fea37000"])
        #expect(plainPlan.unprotected.map(\.id) == ["keys0"])
        // Their registers and interrupts go to DomD too.
        #expect(plainPlan.iomem.contains { $0.firstFrame == 0xec700 && $0.pageCount == 0x10 })
        #expect(plainPlan.irqs.contains(466 + 32) && plainPlan.irqs.contains(383 + 32))
        configuration = TestSupport.replacing("display0", in: configuration) { $0.iommu = true }
        let plan = try PassthroughPlan(configuration: configuration)
        #expect(plan.dtdev.contains("/soc/display@feb00000"))
        let text = try #require(try DomDConfigWriter().text(for: configuration, plan: plan))
        #expect(text.contains("\"/soc/dma-controller@ec720000\", \"/soc/display@feb00000\", \"/soc/fcp@fea27000\""))
    }

    @Test("a DMA master behind no IOMMU is refused for a separate DomD, accepted when the board maps DomD 1:1")
    func dmaWithoutIOMMU() throws {
        var configuration = TestSupport.replacing("sound0", in: try TestSupport.configuration(image: "rcar-h3-cockpit")) {
            for index in $0.nodes.indices { $0.nodes[index].iommu = false }
        }
        #expect(throws: XenConfigError.dmaWithoutIOMMU(device: "sound0", masters: [
            "/soc/dma-controller@ec700000", "/soc/dma-controller@ec720000"])) {
            _ = try PassthroughPlan(configuration: configuration)
        }
        configuration.board.domdDirectMap = true
        #expect(try PassthroughPlan(configuration: configuration).devices.count == 3)
    }

    @Test("a device in Xen's grant-table window cannot be mapped 1:1")
    func grantTableClash() throws {
        let configuration = TestSupport.replacing("keys0", in: try TestSupport.configuration(image: "rcar-h3-cockpit")) {
            $0.reg = [RegRange(address: 0x38200000, size: 0x10000)]  // where i.MX8MQ's usb@38200000 is
        }
        #expect(throws: XenConfigError.iomemOverlapsGuestRegion(
            device: "keys0", firstFrame: 0x38200, pageCount: 0x10,
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

    @Test("on QEMU only the power button is passed: the PL061's page and SPI 7, no dtdev, apb-pclk stays with dom0")
    func qemuPassesThePowerButton() throws {
        let plan = try PassthroughPlan(configuration: TestSupport.configuration(image: "qemu-virt-arm64"))
        #expect(plan.devices.map(\.id) == ["power-button"])
        #expect(plan.irqs == [39])
        #expect(plan.iomem.map(\.description) == ["9030,1"])
        #expect(plan.dtdev.isEmpty)
        #expect(plan.passedNodes.map(\.dtPath) == ["/pl061@9030000", "/gpio-keys", "/gpio-keys/poweroff"])
    }
}
