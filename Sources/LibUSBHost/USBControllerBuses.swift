// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CUSB
import UsbIf

/// Finds the USB buses of a host controller named as a platform device
/// (`dummy_hcd.0`, `ee080100.usb`): its root hubs appear in sysfs as
/// `/sys/bus/platform/devices/<name>/usbN`, N being the bus number (an xHCI
/// controller has two, USB 2 and USB 3), or one or two child devices further
/// down (a DWC3 glue such as `38200000.usb` holds `xhci-hcd.1.auto/usb1`).
public enum USBControllerBuses {
    /// The bus numbers, sorted; `nil` and the errno if the controller has no
    /// sysfs entry or no root hub.
    public static func resolve(controller: String, sysfs: String = "/sys") -> ([UInt8], Int32) {
        var buses = [UInt8](repeating: 0, count: 16)
        let count = buses.withUnsafeMutableBufferPointer { cusb_controller_buses(sysfs, controller, $0.baseAddress, 16) }
        if count < 0 { return ([], -count) }
        return (Array(buses[0..<Int(count)]).sorted(), count == 0 ? 19 : 0)  // ENODEV: no usbN entry
    }
}
