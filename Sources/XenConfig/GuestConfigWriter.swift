// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// Writes a guest's xl.cfg(5) lines for the PV devices DomD serves it, in the
/// syntax of Xen 4.17's xl: `vkb`, `vdispl`, `vsnd`, `usbctrl` and `usbdev`.
///
/// Backend choice: with a separate driver domain every stanza that has the key
/// says `backend=<DomD name>`; when the driver domain is dom0 the key is left out,
/// because xl's default backend is dom0 for all four. vkb always carries
/// `backend-type=linux`, so libxl writes the backend under `backend/vinput` for a
/// user-space backend rather than `backend/vkbd` for QEMU. xl 4.17's `usbctrl` has
/// no backend key at all: libxl always creates the controller with dom0 as
/// backend, so with a separate DomD the USB lines are comments saying how dom0's
/// init places the controllers in DomD instead (`UsbControllerPlacement`).
package struct GuestConfigWriter: Sendable {
    /// Creates a writer.
    package init() {}

    /// The file's text for `guest`.
    package func text(for guest: Guest, in configuration: Configuration) throws(XenConfigError) -> String {
        let domd = configuration.image.driverDomain
        let backend: String? = domd.mode == .separate ? try XLSyntax.specValue(domd.name, field: "driver domain name") : nil
        var lines = GeneratedHeader.lines(configuration: configuration, comment: "#", what:
            "PV devices of guest \(guest.name), served by "
            + (backend.map { "the driver domain \($0)" } ?? "backends in dom0")
            + " (xl.cfg(5), Xen 4.17); add the guest's kernel and disks.")
        lines += [
            "name = \(try XLSyntax.quoted(guest.name, field: "guest name"))",
            "memory = \(guest.memory.mebibytes)",
            "vcpus = \(guest.vcpus)",
        ]
        if !guest.vkb.isEmpty {
            lines.append("vkb = \(XLSyntax.list(try guest.vkb.map { device throws(XenConfigError) in try vkb(device, backend: backend, configuration) }))")
        }
        if !guest.vdispl.isEmpty {
            lines.append("vdispl = \(XLSyntax.list(try guest.vdispl.map { display throws(XenConfigError) in try vdispl(display, backend: backend) }))")
        }
        if !guest.vsnd.isEmpty {
            lines.append("vsnd = [")
            for (index, card) in guest.vsnd.enumerated() {
                let items = try vsnd(card, backend: backend)
                lines.append("    [ " + items.joined(separator: ",\n      ") + " ]" + (index < guest.vsnd.count - 1 ? "," : ""))
            }
            lines.append("]")
        }
        if !guest.usbctrl.isEmpty {
            lines += try usb(guest.usbctrl, backend: backend)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func vkb(_ device: VirtualKeyboard, backend: String?, _ configuration: Configuration) throws(XenConfigError) -> String {
        var keys = backendKeys(backend) + ["backend-type=linux",
                                           "unique-id=\(try XLSyntax.specValue(device.id, field: "vkb id"))"]
        keys.append("feature-disable-keyboard=\(XLSyntax.flag(!device.keyboard))")
        switch device.pointer {
        case .none:
            keys.append("feature-disable-pointer=1")
        case .relative:
            keys.append("feature-abs-pointer=0")
        case .absolute:
            let size = configuration.pointerSize(of: device)
            keys += ["feature-abs-pointer=1", "width=\(size.width)", "height=\(size.height)"]
        }
        if let touch = device.multitouch {
            keys += ["feature-multi-touch=1", "multi-touch-width=\(touch.width)",
                     "multi-touch-height=\(touch.height)", "multi-touch-num-contacts=\(touch.slots)"]
        }
        return "\"" + keys.joined(separator: ",") + "\""
    }

    private func vdispl(_ display: VirtualDisplay, backend: String?) throws(XenConfigError) -> String {
        var connectors: [String] = []
        for connector in display.connectors {
            let id = try XLSyntax.specValue(connector.id, field: "connector id")
            if id.contains(":") || id.contains(" ") {
                throw .unrepresentableValue(field: "connector id", value: id, forbidden: "':' or a space")
            }
            connectors.append("\(id):\(connector.width)x\(connector.height)")
        }
        let keys = backendKeys(backend) + ["be-alloc=\(XLSyntax.flag(display.backendAllocates))",
                                           "connectors=" + connectors.joined(separator: ";")]
        return "\"" + keys.joined(separator: ",") + "\""
    }

    private func vsnd(_ card: VirtualSoundCard, backend: String?) throws(XenConfigError) -> [String] {
        var cardKeys = ["CARD"] + backendKeys(backend)
        if let name = card.shortName { cardKeys.append("short-name=\(try XLSyntax.specValue(name, field: "short_name"))") }
        if let name = card.longName { cardKeys.append("long-name=\(try XLSyntax.specValue(name, field: "long_name"))") }
        if !card.sampleRates.isEmpty {
            cardKeys.append("sample-rates=" + card.sampleRates.map(String.init).joined(separator: ";"))
        }
        if !card.sampleFormats.isEmpty {
            cardKeys.append("sample-formats=" + card.sampleFormats.map(\.rawValue).joined(separator: ";"))
        }
        if let value = card.channelsMin { cardKeys.append("channels-min=\(value)") }
        if let value = card.channelsMax { cardKeys.append("channels-max=\(value)") }
        if let value = card.bufferSize { cardKeys.append("buffer-size=\(value)") }
        var items = [cardKeys.joined(separator: ", ")]
        for pcm in card.pcms {
            items.append("PCM, name=\(try XLSyntax.specValue(pcm.name, field: "pcm name"))")
            for stream in pcm.streams {
                let id = try XLSyntax.specValue(stream.id, field: "stream id")
                items.append("STREAM, unique-id=\(id), type=\(stream.direction == .playback ? "p" : "c")")
            }
        }
        return items.map { "'\($0)'" }
    }

    private func usb(_ controllers: [VirtualUSBController], backend: String?) throws(XenConfigError) -> [String] {
        let specs = controllers.map { "\"type=qusb,version=\($0.version),ports=\($0.ports)\"" }
        var devices: [String] = []
        var assigned: [String] = []
        for (index, controller) in controllers.enumerated() {
            for device in controller.devices {
                if case let .address(bus, address) = device.match {
                    devices.append("\"type=hostdev,hostbus=\(bus),hostaddr=\(address),controller=\(index),port=\(device.port)\"")
                } else {
                    assigned.append("#   usbctrl \(index) (\(controller.id)) port \(device.port): \(device.match)")
                }
            }
        }
        var lines = ["usbctrl = \(XLSyntax.list(specs))"]
        if !devices.isEmpty { lines.append("usbdev = \(XLSyntax.list(devices))") }
        let byBackend = assigned.isEmpty ? [] : [
            "# Ports the usbif backend assigns itself (it writes the controller's port/N;",
            "# xl's usbdev names a device only by hostbus/hostaddr):",
        ] + assigned
        guard let backend else { return lines + byBackend }
        return [
            "# USB: served by \(backend), but not through xl. xl 4.17's usbctrl has no backend= key",
            "# (libxl always makes dom0 the backend from xl.cfg) and libxl_device_usbdev_add refuses",
            "# a controller whose backend is not dom0. So dom0's driverdom init places each",
            "# controller in \(backend) after `xl create -p` and before `xl unpause`: it writes the",
            "# nodes libxl writes for type=qusb, with libxl's permissions (backend/qusb/<guest>/<devid>",
            "# in \(backend), device/vusb/<devid> in the guest, libxl's /libxl copy, which xl's teardown",
            "# follows), and \(backend)'s usbif backend writes port/N from the image's usbdev entries.",
            "# What xl would be given if it could name the backend:",
        ] + lines.map { "# " + $0 } + byBackend
    }

    private func backendKeys(_ backend: String?) -> [String] {
        backend.map { ["backend=\($0)"] } ?? []
    }
}
