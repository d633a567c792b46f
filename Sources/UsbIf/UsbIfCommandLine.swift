// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The command line of usbif-backend, as the DomD init passes it from the
/// image config (the board's USB controller, the usbif layer's options).
public struct UsbIfCommandLine: BackendCommandLine, Equatable {
    public static let usage = """
        usage: usbif-backend [options] --usb-controller NAME [--usb-controller NAME ...]
          --usb-controller NAME    platform device of a USB host controller whose devices
                                   guests may get (e.g. dummy_hcd.0, ee080100.usb); repeat
                                   it for each controller the board gives the layer
          --detach-kernel-driver   detach DomD's own drivers from a device given to a guest
          --hotplug                report devices arriving and leaving on assigned ports
          --max-urbs N             URBs per device at the host at once (1-4096, default 64)
          --domain N               own domain id (default: read xenstore node "domid")
          --bind GUEST DEVID PORT DEVICE
                                   give guest GUEST's controller DEVID, port PORT the host device
                                   DEVICE: a bus path (1-1, 3-1.5) or vendor:product (1d6b:0104)
        """

    /// The controllers, in command-line order (each once).
    public var controllers: [String] = []
    public var detachKernelDriver = false
    public var hotplug = false
    public var maxUrbs = 64
    public var domain: DomainID?
    public var bindings = GuestBindings()

    public init() {}

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(BackendArgumentError) -> UsbIfCommandLine {
        var parsed = UsbIfCommandLine()
        var sawController = false
        var reader = ArgumentReader(arguments)
        while let option = try reader.next() {
            switch ByteString(option) {
            case "--usb-controller":
                let expected = "a platform device name"
                let name = try reader.value(of: option, expected: expected)
                guard isPlatformDeviceName(name) else { throw .invalidValue(option: option, value: name, expected: expected) }
                guard !parsed.controllers.containsBytes(name) else { throw .givenTwice("USB controller " + name) }
                parsed.controllers.append(name)
                sawController = true
            case "--detach-kernel-driver": parsed.detachKernelDriver = true
            case "--hotplug": parsed.hotplug = true
            case "--max-urbs":
                parsed.maxUrbs = Int(try reader.number(of: option, in: 1...4096, expected: "a number from 1 to 4096"))
            case "--domain":
                parsed.domain = try reader.domain(of: option)
            case "--bind":
                let words = try reader.values(of: option, count: 4, expected: "GUEST DEVID PORT DEVICE")
                let (guest, devid, port, device) = (words[0], words[1], words[2], words[3])
                guard XenPath.parseUInt32(devid) != nil else {
                    throw .invalidValue(option: option, value: devid, expected: "a controller devid (an unsigned number)")
                }
                guard let number = XenPath.parseUInt32(port), number >= 1, number <= UInt32(UsbIfWire.maxPorts) else {
                    throw .invalidValue(option: option, value: port, expected: "a port 1-\(UsbIfWire.maxPorts)")
                }
                guard UsbBusID(device) != nil || UsbVendorProduct(device) != nil else {
                    throw .invalidValue(option: option, value: device,
                                        expected: "a device as a bus path (1-1) or vendor:product (1d6b:0104)")
                }
                guard parsed.bindings.add(GuestBinding(guest: guest, id: devid, direction: port, target: device)) else {
                    throw .givenTwice("the binding of port " + port + " of controller " + devid + " of guest '" + guest + "'")
                }
            default:
                throw .unknownOption(option)
            }
        }
        if !sawController { throw .missing("--usb-controller NAME") }
        return parsed
    }

    /// A sysfs device name: no `/`, not `.` or `..`, printable ASCII.
    static func isPlatformDeviceName(_ name: String) -> Bool {
        guard !name.bytesEqual("."), !name.bytesEqual(".."), name.utf8.count <= 255 else { return false }
        for byte in name.utf8 where byte == 47 || byte <= 32 || byte >= 127 { return false }
        return true
    }
}
