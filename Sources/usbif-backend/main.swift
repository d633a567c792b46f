// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// usbif-backend: serves Xen PV USB controllers (usbctrl, backend/qusb; Linux's
// xen-hcd) from the devices of one USB host controller in a driver domain,
// replaying URBs with libusb. Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime
// failure, 2 usage.
import CLinux
import CXen
import LibUSBHost
import UsbIf
import XenCore
import XenLinux

func serve(_ arguments: UsbIfCommandLine) -> Int32 {
    let platform: LinuxXenPlatform
    do {
        platform = try LinuxXenPlatform(domain: arguments.domain)
    } catch {
        print("usbif-backend: Unable to open Xen: " + error.description)
        return 1
    }
    var buses: [UInt8] = []
    for controller in arguments.controllers {
        let (found, code) = USBControllerBuses.resolve(controller: controller)
        guard !found.isEmpty else {
            print("usbif-backend: Unable to find USB controller " + controller + " (errno \(code)): no "
                  + "/sys/bus/platform/devices/" + controller + "/usbN root hub")
            return 1
        }
        buses += found
    }
    let host: LibUSBHost
    do {
        host = try LibUSBHost(detachKernelDriver: arguments.detachKernelDriver, hotplug: arguments.hotplug)
    } catch {
        print("usbif-backend: Unable to start libusb: " + error.description)
        return 1
    }
    let options = UsbIfOptions(maxUrbs: arguments.maxUrbs, hotplug: arguments.hotplug, buses: buses,
                               bindings: arguments.bindings)
    let backend = UsbIfBackend(platform: platform, host: host, options: options, log: .standardOutput)
    var busList = ""
    for bus in buses { busList += (busList.isEmpty ? "" : ",") + String(bus) }
    return BackendProcess.serve(backend, name: "usbif-backend", banner: [
        "serving usbctrl (backend/" + UsbIfWire.deviceType + ") in domain " + platform.domain.description,
        "devices of " + controllerList(arguments.controllers) + " (bus " + busList + "), at most \(arguments.maxUrbs) URBs in flight per device"
            + (arguments.hotplug ? (host.hotplugEnabled ? ", hot-plug on" : ", hot-plug unavailable") : "")
            + (arguments.detachKernelDriver ? ", DomD drivers detached" : ""),
        "\(arguments.bindings.entries.count) port binding(s) from the image",
    ])
}

func controllerList(_ names: [String]) -> String {
    var text = ""
    for name in names { text += (text.isEmpty ? "" : ", ") + name }
    return text
}

BackendProcess.prepare()
exit(serve(BackendProcess.commandLine(UsbIfCommandLine.self, name: "usbif-backend")))
