// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The command line of usbif-backend, as the DomD init passes it from the
/// image config (the board's USB controller, the usbif layer's options).
public struct UsbIfCommandLine: Equatable {
    public static let usage = """
        usage: usbif-backend [options] --usb-controller NAME
          --usb-controller NAME    platform device of the USB host controller whose devices
                                   guests may get (e.g. dummy_hcd.0, ee080100.usb)
          --detach-kernel-driver   detach DomD's own drivers from a device given to a guest
          --hotplug                report devices arriving and leaving on assigned ports
          --max-urbs N             URBs per device at the host at once (1-4096, default 64)
          --domain N               own domain id (default: read xenstore node "domid")
          --bind GUEST DEVID PORT DEVICE
                                   give guest GUEST's controller DEVID, port PORT the host device
                                   DEVICE: a bus path (1-1, 3-1.5) or vendor:product (1d6b:0104)
        """

    public var controller = ""
    public var detachKernelDriver = false
    public var hotplug = false
    public var maxUrbs = 64
    public var domain: DomainID?
    public var bindings = GuestBindings()

    public init() {}

    /// Parses `arguments` (without the program name); the problem as text if they are wrong.
    public static func parse(_ arguments: [String]) -> (UsbIfCommandLine, String?) {
        var parsed = UsbIfCommandLine()
        var sawController = false
        var index = 0
        func value() -> String? {
            index += 1
            guard index < arguments.count, !arguments[index].isEmpty else { return nil }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--usb-controller":
                guard let name = value(), isPlatformDeviceName(name) else {
                    return (parsed, "--usb-controller needs a platform device name")
                }
                parsed.controller = name
                sawController = true
            case "--detach-kernel-driver": parsed.detachKernelDriver = true
            case "--hotplug": parsed.hotplug = true
            case "--max-urbs":
                guard let text = value(), let number = XenPath.parseUInt32(text), number >= 1, number <= 4096 else {
                    return (parsed, "--max-urbs needs a number from 1 to 4096")
                }
                parsed.maxUrbs = Int(number)
            case "--domain":
                guard let text = value(), let domain = XenPath.parseDomain(text) else {
                    return (parsed, "--domain needs a domain id below 32752")
                }
                parsed.domain = domain
            case "--bind":
                guard index + 4 < arguments.count else { return (parsed, "--bind needs GUEST DEVID PORT DEVICE") }
                let guest = arguments[index + 1], devid = arguments[index + 2], port = arguments[index + 3]
                let device = arguments[index + 4]
                guard !guest.isEmpty, XenPath.parseUInt32(devid) != nil,
                      let number = XenPath.parseUInt32(port), number >= 1, number <= UInt32(UsbIfWire.maxPorts) else {
                    return (parsed, "--bind needs a guest name, a controller devid and a port 1-\(UsbIfWire.maxPorts)")
                }
                guard UsbBusID(device) != nil || UsbVendorProduct(device) != nil else {
                    return (parsed, "--bind device '" + device + "' is neither a bus path (1-1) nor vendor:product (1d6b:0104)")
                }
                guard parsed.bindings.add(GuestBinding(guest: guest, id: devid, direction: port, target: device)) else {
                    return (parsed, "--bind " + guest + " " + devid + " " + port + " given twice")
                }
                index += 4
            default:
                return (parsed, "unknown argument " + arguments[index])
            }
            index += 1
        }
        if !sawController { return (parsed, "--usb-controller is required") }
        return (parsed, nil)
    }

    /// A sysfs device name: no `/`, not `.` or `..`, printable ASCII.
    static func isPlatformDeviceName(_ name: String) -> Bool {
        guard name != ".", name != "..", name.utf8.count <= 255 else { return false }
        for byte in name.utf8 where byte == 47 || byte <= 32 || byte >= 127 { return false }
        return true
    }
}
