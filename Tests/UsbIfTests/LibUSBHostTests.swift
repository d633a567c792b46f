// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CUSB
import Foundation
import LibUSBHost
import Testing
import UsbIf

/// The libusb adapter: controller-to-bus resolution from sysfs, and real
/// hardware when the machine has a USB device (skipped cleanly otherwise).
@Suite struct LibUSBHostTests {
    /// A fake sysfs: platform device `name` with root hubs `usbN` for each bus.
    func fakeSysfs(_ name: String, buses: [Int], extra: [String] = []) -> String {
        let root = "/tmp/usbif-sysfs-" + String(getpid()) + "-" + name
        let device = root + "/bus/platform/devices/" + name
        _ = system("rm -rf '" + root + "' && mkdir -p '" + device + "'")
        for bus in buses { _ = system("mkdir '" + device + "/usb" + String(bus) + "'") }
        for entry in extra { _ = system("mkdir -p '" + device + "/" + entry + "'") }
        return root
    }

    @Test("an isochronous transfer carries its packet count (libusb refuses an iso submit without it)")
    func isochronousTransferKnowsItsPackets() throws {
        let iso = try #require(cusb_transfer_new(nil, 1, 3))
        #expect(iso.pointee.num_iso_packets == 3)
        cusb_transfer_free(iso)
        let bulk = try #require(cusb_transfer_new(nil, 2, 0))
        #expect(bulk.pointee.num_iso_packets == 0)
        cusb_transfer_free(bulk)
    }

    @Test func controllerBusesComeFromItsRootHubs() {
        let sysfs = fakeSysfs("xhci-hcd.1.auto", buses: [3, 4], extra: ["usb", "usbx", "driver", "usb3-port1"])
        let (buses, code) = USBControllerBuses.resolve(controller: "xhci-hcd.1.auto", sysfs: sysfs)
        #expect(buses == [3, 4] && code == 0)
    }

    @Test func rootHubsOfAChildControllerAreFound() {
        let sysfs = fakeSysfs("38200000.usb", buses: [], extra: ["xhci-hcd.1.auto", "xhci-hcd.1.auto/usb1", "xhci-hcd.1.auto/usb2",
                                                                  "xhci-hcd.1.auto/usb1/1-1", "power"])
        let (buses, code) = USBControllerBuses.resolve(controller: "38200000.usb", sysfs: sysfs)
        #expect(buses == [1, 2] && code == 0)
    }

    @Test func missingControllerOrRootHubIsReported() {
        let sysfs = fakeSysfs("ee080100.usb", buses: [])
        #expect(USBControllerBuses.resolve(controller: "ee080100.usb", sysfs: sysfs) == ([], 19))
        #expect(USBControllerBuses.resolve(controller: "nope.usb", sysfs: sysfs) == ([], 2))
    }

    /// The first non-hub device the machine's buses have, as a busid.
    static let realDevice: UsbBusID? = {
        let root = "/sys/bus/usb/devices"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for name in names.sorted() {
            guard let busID = UsbBusID(name) else { continue }
            let deviceClass = (try? String(contentsOfFile: root + "/" + name + "/bDeviceClass", encoding: .utf8)) ?? ""
            if deviceClass.hasPrefix("09") { continue }  // a hub
            return busID
        }
        return nil
    }()

    @Test(.enabled(if: realDevice != nil, "no USB device on this machine"))
    func opensARealDeviceAndReadsItsDeviceDescriptor() throws {
        let busID = try #require(Self.realDevice)
        let host = try LibUSBHost(detachKernelDriver: false, hotplug: false)
        let device: USBOpenedDevice
        do { device = try host.open(busID) } catch {
            withKnownIssue("the device could not be opened here (permissions): \(error.description)") { throw error }
            return
        }
        defer { host.close(device.handle) }
        #expect(device.speed != .none)
        try host.submit(USBTransfer(token: USBTransferToken(rawValue: 1), device: device.handle, type: .control, endpoint: 0,
                                    isIn: true, setup: [0x80, 6, 0, 1, 0, 0, 18, 0], length: 18))
        var completion: USBCompletion?
        for _ in 0..<200 where completion == nil {
            var fds: [Int32] = []
            host.appendPollDescriptors(to: &fds)
            var pollfds = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&pollfds, nfds_t(pollfds.count), 10)
            for entry in pollfds where entry.revents != 0 { _ = host.handleReady(entry.fd) }
            completion = host.nextCompletion()
        }
        let done = try #require(completion, "no completion within 2 s")
        #expect(done.status == .ok && done.actualLength == 18 && done.data.first == 18 && done.data[1] == 1)
    }

    @Test func speedsAreOfferedAsUSB2AndStatusesMapToUsbif() {
        #expect(LibUSBHost.speed(Int32(LIBUSB_SPEED_LOW.rawValue)) == .low)
        #expect(LibUSBHost.speed(Int32(LIBUSB_SPEED_FULL.rawValue)) == .full)
        #expect(LibUSBHost.speed(Int32(LIBUSB_SPEED_HIGH.rawValue)) == .high)
        #expect(LibUSBHost.speed(Int32(LIBUSB_SPEED_SUPER.rawValue)) == .high)
        #expect(LibUSBHost.speed(Int32(LIBUSB_SPEED_UNKNOWN.rawValue)) == UsbSpeed.none)
        #expect(LibUSBHost.status(LIBUSB_TRANSFER_COMPLETED.rawValue) == .ok)
        #expect(LibUSBHost.status(LIBUSB_TRANSFER_STALL.rawValue) == .stall)
        #expect(LibUSBHost.status(LIBUSB_TRANSFER_NO_DEVICE.rawValue) == .noDevice)
        #expect(LibUSBHost.status(LIBUSB_TRANSFER_OVERFLOW.rawValue) == .babble)
        #expect(LibUSBHost.status(LIBUSB_TRANSFER_CANCELLED.rawValue) == .shutdown)
        #expect(LibUSBHost.status(LIBUSB_TRANSFER_ERROR.rawValue) == .ioError)
        #expect(LibUSBHost.status(LIBUSB_TRANSFER_TIMED_OUT.rawValue) == .ioError)
    }

    @Test func absentDeviceIsNotOpenedAndPollFdsAreOffered() throws {
        let host = try LibUSBHost(detachKernelDriver: false, hotplug: true)
        #expect(throws: UsbIfError.self) { _ = try host.open(UsbBusID(bus: 250, ports: [7, 7])) }
        var fds: [Int32] = []
        host.appendPollDescriptors(to: &fds)
        #expect(fds.count == 2)
    }
}
