// SPDX-License-Identifier: Apache-2.0
import DomDInit
import XenConfig
import DriverdomConfig
import Foundation
import SndIf
import Testing
@testable import DriverdomBuild

/// The repository this test file lives in.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("DomD service table from the default image")
struct DomDServicesTests {
    private let configuration: Configuration

    init() throws {
        let image = repositoryRoot.appendingPathComponent("Images/qemu-virt-arm64.yaml").path
        configuration = try Repository.find(from: image).loadImage(at: image)
    }

    @Test func tableParsesBackToWhatWasComposed() throws {
        let text = try DomDServices.text(for: configuration.bindings)
        let parsed = try ServiceTableParser.parse(text)
        #expect(parsed == DomDServices.table(for: configuration.bindings))
        #expect(parsed.role == .domd)
    }

    @Test func kbdifServiceCarriesOptionsAndDevice() throws {
        let table = DomDServices.table(for: configuration)
        let service = try #require(table.services.first)
        #expect(table.services.map(\.name) == ["kbdif", "sndif", "displif", "usbif"])
        #expect(service.name == "kbdif")
        #expect(service.program == "/usr/bin/kbdif-backend")
        // grab, width and height come from the image (its guests' vkb range); each vkb is bound by its
        // unique-id to its device: the uinput device (event1) and the passed-through power button (event0).
        #expect(service.arguments == ["--grab", "--height", "768", "--width", "1024",
                                      "--bind", "kbd0", "/dev/input/event1", "--bind", "power0", "/dev/input/event0"])
        #expect(service.device?.path == "/dev/input/event1")
    }

    @Test func displayAndUSBServicesGetTheirBoardFactsAndGuestBinds() throws {
        let table = DomDServices.table(for: configuration)
        let displif = try #require(table.services.first { $0.name == "displif" })
        #expect(displif.arguments == ["--background", "0", "--vsync", "--bind", "DomU", "main", "Virtual-1",
                                      "/dev/dri/card0", "--connector", "Virtual-1"])
        #expect(displif.device?.path == "/dev/dri/card0")
        let usbif = try #require(table.services.first { $0.name == "usbif" })
        #expect(usbif.arguments == ["--detach-kernel-driver", "--hotplug", "--max-urbs", "64",
                                    "--bind", "DomU", "0", "1", "1-1", "--bind", "DomU", "1", "1", "1d6b:0101",
                                    "--usb-controller", "dummy_hcd.0", "--usb-controller", "vhci_hcd.0"])
        #expect(table.modprobe == ServiceTable.initLoadsModules)
    }

    @Test func separateDomDReportsReadinessInXenstore() throws {
        let separate = DomDServices.table(for: configuration.bindings, mode: .separate)
        #expect(separate.readiness == .xenstoreWrite(program: "/usr/bin/xenstore-write"))
        #expect(DomDServices.table(for: configuration.bindings, mode: .dom0).readiness == .console)
        let text = try DomDServices.text(for: configuration.bindings, mode: .separate)
        #expect(try ServiceTableParser.parse(text) == separate)
    }

    @Test("a separate DomD balloons its grant reserve back at boot: the table sets the balloon target to memory")
    func grantFramesAreBallooned() throws {
        let domd = configuration.image.driverDomain
        #expect(domd.mode == .separate)
        let table = DomDServices.table(for: configuration)
        #expect(table.settings == [KernelSetting(path: DomDServices.balloonTarget,
                                                 value: String(domd.memory.bytes >> 10))])
        #expect(try ServiceTableParser.parse(try DomDServices.text(for: configuration)) == table)

        var noReserve = domd
        noReserve.grantFrames = ByteCount(bytes: 0)
        #expect(DomDServices.settings(for: noReserve).isEmpty)
        var inDom0 = domd
        inDom0.mode = .dom0
        #expect(DomDServices.settings(for: inDom0).isEmpty)
        #expect(inDom0.domainMemory == domd.memory)
        #expect(domd.domainMemory.bytes == domd.memory.bytes + DriverDomain.defaultGrantFrames.bytes)
    }

    @Test func modulesAreLayerThenDeviceModulesOnce() {
        var bindings = configuration.bindings
        bindings.append(bindings[0])
        #expect(DomDServices.modules(for: bindings) == ["xen-evtchn", "xen-gntdev", "evdev", "uinput", "gpio-keys", "snd-aloop",
                                                         "xen-gntalloc", "vkms", "dummy_hcd", "libcomposite", "vhci-hcd"])
    }

    @Test func falseBoolIsLeftOutAndFactsFollowTheLayersMapping() {
        var bindings = configuration.bindings
        bindings[0].options["grab"] = .bool(false)
        bindings[0].devices = [bindings[0].devices[0]]
        bindings[0].devices[0].domd = .usb(usbController: "dummy_hcd.0")
        // No mapping for usb_controller: the fact is not passed.
        #expect(DomDServices.service(for: bindings[0]).arguments == ["--height", "768", "--width", "1024"])
        bindings[0].layer.factArguments = [FactMapping(fact: "usb_controller", argument: .flag("--usb-controller"))]
        bindings[0].layer.options[1].argument = "--pointer-width"
        let service = DomDServices.service(for: bindings[0])
        #expect(service.arguments == ["--height", "768", "--pointer-width", "1024", "--usb-controller", "dummy_hcd.0"])
        #expect(service.device == nil)
        // A positional fact under /dev is waited for; each value of a list fact gets its own flag.
        bindings[0].devices[0].domd = .display(drmCard: "/dev/dri/card1", connectors: ["A", "B"])
        bindings[0].layer.factArguments = [FactMapping(fact: "drm_card", argument: .positional),
                                           FactMapping(fact: "connectors", argument: .flag("--out"))]
        let display = DomDServices.service(for: bindings[0])
        #expect(display.arguments.suffix(5) == ["/dev/dri/card1", "--out", "A", "--out", "B"])
        #expect(display.device?.path == "/dev/dri/card1")
    }

    @Test func usbifServiceBindsTheGuestsPortsByBusPath() throws {
        let table = DomDServices.table(for: configuration)
        let usbif = try #require(table.services.first { $0.name == "usbif" })
        // DomU's usbctrl 0, port 1: dummy_hcd's root port 1 (the backend writes port/1 itself);
        // usbctrl 1, port 1: the test's USB/IP audio device on vhci-hcd, by its ids.
        #expect(usbif.arguments.suffix(14) == ["--bind", "DomU", "0", "1", "1-1", "--bind", "DomU", "1", "1", "1d6b:0101",
                                               "--usb-controller", "dummy_hcd.0", "--usb-controller", "vhci_hcd.0"])
    }

    @Test func controlRolePlacesTheGuestsUsbControllersInDomD() throws {
        let table = ControlDomain.serviceTable(configuration)
        #expect(table.control.usbControllers == [UsbControllerSpec(guest: "DomU", devid: 0, version: 2, ports: 2),
                                                 UsbControllerSpec(guest: "DomU", devid: 1, version: 2, ports: 1)])
        #expect(table.control.xenstoreWrite == "/usr/bin/xenstore-write")
        var dom0 = configuration
        dom0.image.driverDomain.mode = .dom0
        #expect(ControlDomain.serviceTable(dom0).control.usbControllers.isEmpty)
    }

    @Test func controlRoleMountsTheBootPartitionThroughTheBoardsStorageModules() throws {
        let table = ControlDomain.serviceTable(configuration)
        #expect(table.control.bootPartition == BootPartitionSpec(name: "boot", filesystem: "vfat", mountPoint: "/boot",
                                                                 waitMilliseconds: 15_000))
        // The board's virtio disk and vfat's modules load before the Xen modules.
        #expect(table.modules.map(\.name) == ["virtio_mmio", "virtio_blk", "nls_cp437", "nls_ascii", "vfat",
                                               "xen-privcmd", "xenfs", "xen-evtchn", "xen-gntdev", "xen-gntalloc"])
        // DomD's kernel is the boot partition's vmlinuz, read through that mount.
        #expect(DomDFiles.standard.kernel == "/boot/vmlinuz")
    }

    @Test func optionWithNewlineIsRefused() {
        var bindings = configuration.bindings
        bindings[0].options["grab"] = .string("a\nb")
        #expect(throws: BuildError.self) { try DomDServices.text(for: bindings) }
    }
}

@Suite("DomD service table from the R-Car cockpit image")
struct CockpitServicesTests {
    private let configuration: Configuration

    init() throws {
        let image = repositoryRoot.appendingPathComponent("Images/rcar-h3-cockpit.yaml").path
        configuration = try Repository.find(from: image).loadImage(at: image)
    }

    @Test func sndifServiceBindsEveryGuestStreamToItsALSAPCM() throws {
        let table = DomDServices.table(for: configuration)
        let service = try #require(table.services.first { $0.name == "sndif" })
        #expect(service.arguments == [
            "--bind", "Cluster", "chime-p", "p", "hw:0,0", "--bind", "IVI", "media-p", "p", "hw:0,0",
            "--bind", "IVI", "mic-c", "c", "hw:0,0",
        ])
        let parsed = try SndIfCommandLine.parse(service.arguments)
        #expect(parsed.bindings.target(guest: "Cluster", id: "chime-p", direction: "p") == "hw:0,0")
        #expect(parsed.bindings.target(guest: "IVI", id: "mic-c", direction: "c") == "hw:0,0")
        #expect(parsed.bindings.target(guest: "IVI", id: "chime-p", direction: "p") == nil)
        #expect(parsed.bindings.target(guest: "IVI", id: "media-p", direction: "c") == nil)
    }

    @Test func tableWithStreamsParsesBack() throws {
        let table = DomDServices.table(for: configuration)
        #expect(try ServiceTableParser.parse(ServiceTableWriter.write(table)) == table)
    }
}

@Suite("DomD services of the R-Car cockpit image")
struct CockpitDisplayBindTests {
    @Test func displayConnectorsAreBoundToTheirDRMConnectors() throws {
        let image = repositoryRoot.appendingPathComponent("Images/rcar-h3-cockpit.yaml").path
        let configuration = try Repository.find(from: image).loadImage(at: image)
        let table = DomDServices.table(for: configuration)
        let displif = try #require(table.services.first { $0.name == "displif" })
        let arguments = displif.arguments.joined(separator: " ")
        #expect(arguments.contains("--bind Cluster cluster HDMI-A-1"), "\(arguments)")
        #expect(arguments.contains("--bind IVI center VGA-1"), "\(arguments)")
        #expect(displif.program == "/usr/bin/displif-backend")
    }
}
