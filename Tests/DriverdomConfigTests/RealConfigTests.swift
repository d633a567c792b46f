// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import Testing

/// The repository's own Boards/, Layers/ and Images/ files.
@Suite struct RealConfigTests {
    let repository = Repository(root: Fixtures.packageRoot)

    @Test func qemuBoardHasTheVirtMachineFacts() throws {
        let board = try repository.loadBoard(named: "qemu-virt-arm64")
        #expect(board.architecture == .aarch64)
        #expect(board.ram == MemoryRegion(base: 0x4000_0000, size: ByteCount(bytes: 2 << 30)))
        #expect(board.console.uart == "/pl011@9000000")
        #expect(board.boot.loader == .qemu)
        #expect(board.boot.xen == 0x4020_0000)
        #expect(board.flash.partitions.map(\.size) == [.fixed(ByteCount(bytes: 64 << 20)), .auto])
        #expect(board.devices.map(\.id) == ["loopback-sound", "virtual-input", "power-button", "dummy-usb", "usbip-vhci", "vkms-display"])
        let input = try #require(board.device(id: "virtual-input"))
        #expect(input.deviceClass == .input)
        #expect(input.passthrough == nil)
        #expect(input.providingModules == ["uinput"])
        #expect(input.domd == .input(inputDevice: "/dev/input/event1"))
        // The PL061 GPIO block QEMU puts at 0x09030000 (SPI 7) with its gpio-keys power button.
        let button = try #require(board.device(id: "power-button")?.passthrough)
        #expect(button.dtPath == "/pl061@9030000" && button.reg == [RegRange(address: 0x903_0000, size: 0x1000)])
        #expect(button.interrupts == [7] && !button.dmaWithoutIOMMU)
        #expect(button.nodes.map(\.dtPath) == ["/apb-pclk", "/gpio-keys", "/gpio-keys/poweroff"])
        #expect(button.nodes.map(\.host) == [.shared, .passthrough, .passthrough])
        #expect(button.modules == ["gpio-keys"])
    }

    @Test func kbdifLayerDeclaresItsOptions() throws {
        let layer = try repository.loadLayer(named: "kbdif")
        #expect(layer.protocolName == "vkb")
        #expect(layer.xenstoreFolder == "vinput")
        #expect(layer.frontend == .vkb)
        #expect(layer.factArguments == [FactMapping(fact: "input_device", argument: .positional)])
        #expect(layer.check == LayerCheck(kit: [.input], teardown: true))
        #expect(layer.option(named: "grab")?.argument == "--grab")
        #expect(layer.binds == .input)
        #expect(layer.executable == "kbdif-backend")
        #expect(layer.license == "GPL-2.0-only OR MIT")
        #expect(layer.defaultOptions == ["grab": .bool(false), "width": .int(1920), "height": .int(1080)])
        #expect(layer.directory == Fixtures.packageRoot + "/Layers/kbdif")
    }

    @Test func qemuImageComposesWithMergedOptions() throws {
        let configuration = try repository.loadImage(at: Fixtures.packageRoot + "/Images/qemu-virt-arm64.yaml")
        #expect(configuration.board.name == "qemu-virt-arm64")
        #expect(configuration.image.sourceDateEpoch == 1_767_225_600)
        #expect(configuration.image.driverDomain.memory == ByteCount(bytes: 256 << 20))
        #expect(configuration.image.outputs == [.initramfs, .ext4, .disk, .bmap, .manifest, .sbom])
        #expect(configuration.licensePolicy.unknown == .deny, "the site-wide license-policy.yaml applies")
        #expect(configuration.licensePolicy.concluded["libc6"] != nil)
        let binding = try #require(configuration.bindings.first)
        #expect(binding.layer.name == "kbdif")
        #expect(binding.devices.map(\.id) == ["virtual-input", "power-button"])
        #expect(binding.options == ["grab": .bool(true), "width": .int(1024), "height": .int(768)])
        let vkb = try #require(configuration.image.guests.first?.vkb.first)
        #expect(vkb.multitouch == VirtualKeyboard.MultiTouch(slots: 10, width: 1024, height: 768))
        #expect(configuration.pointerSize(of: vkb) == (1024, 768))
        #expect(configuration.passthroughDevices.map(\.id) == ["power-button"])
        #expect(configuration.image.guests.first?.vkb.map(\.device) == ["virtual-input", "power-button"])
    }

    /// Every image in Images/ is valid once the boards and layers it names exist
    /// (the R-Car board and the sndif/displif/usbif layers come from the boards area).
    @Test(arguments: Fixtures.realImageNames)
    func everyImageIsValid(name: String) throws {
        let path = Fixtures.packageRoot + "/Images/\(name).yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let missing = Self.missingReferences(in: text)
        if !missing.isEmpty {
            try Test.cancel("\(name) needs \(missing.joined(separator: ", ")), which this checkout lacks")
        }
        let configuration = try repository.loadImage(at: path)
        #expect(configuration.image.name == name)
    }

    /// The cockpit image is valid against the fixture R-Car board and layers.
    @Test func cockpitImageIsValidAgainstFixtureBoard() throws {
        let fixture = Repository(root: Fixtures.broken)
        let configuration = try fixture.loadImage(at: Fixtures.packageRoot + "/Images/rcar-h3-cockpit.yaml")
        #expect(configuration.board.name == "rcar-h3-salvator-xs")
        #expect(configuration.layers.map(\.name) == ["sndif", "displif", "kbdif"])
        #expect(configuration.image.guests.map(\.name) == ["Cluster", "IVI"])
        #expect(configuration.passthroughDevices.map(\.id) == ["sound0", "display0", "keys0"])
        let ivi = try #require(configuration.image.guests.last)
        #expect(ivi.memory == ByteCount(bytes: 2 << 30))
        let media = try #require(ivi.vsnd.first)
        #expect(media.sampleFormats == [.s16_le, .s32_le])
        #expect(media.pcms.first?.streams.map(\.direction) == [.playback, .capture])
        #expect(ivi.usbctrl.isEmpty, "EHCI masters DMA behind no IOMMU: no USB for a separate DomD")
        #expect(ivi.vkb.first?.pointer == VirtualKeyboard.PointerMode.none)
    }

    private static func missingReferences(in text: String) -> [String] {
        var missing: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            for (prefix, path) in [("board: ", "Boards/%@.yaml"), ("- layer: ", "Layers/%@/layer.yaml")]
            where trimmed.hasPrefix(prefix) {
                let name = String(trimmed.dropFirst(prefix.count))
                let file = path.replacingOccurrences(of: "%@", with: name)
                if !FileManager.default.fileExists(atPath: Fixtures.packageRoot + "/" + file) { missing.append(file) }
            }
        }
        return missing
    }
}
