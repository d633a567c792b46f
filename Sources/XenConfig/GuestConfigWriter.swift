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
/// backend, so with a separate DomD the USB lines are written commented out, with
/// the reason, instead of making `xl create` wait for a dom0 backend that is not there.
public struct GuestConfigWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The file's text for `guest`.
    public func text(for guest: Guest, in configuration: Configuration) throws(XenConfigError) -> String {
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
        for (index, controller) in controllers.enumerated() {
            for device in controller.devices {
                devices.append("\"type=hostdev,hostbus=\(device.hostbus),hostaddr=\(device.hostaddr),"
                    + "controller=\(index),port=\(device.port)\"")
            }
        }
        var lines = ["usbctrl = \(XLSyntax.list(specs))"]
        if !devices.isEmpty { lines.append("usbdev = \(XLSyntax.list(devices))") }
        guard let backend else { return lines }
        return [
            "# USB for this guest is meant to come from \(backend), but xl 4.17's usbctrl has no",
            "# backend= key: libxl always makes dom0 the backend (backend/qusb in dom0's",
            "# xenstore), where no usbif backend runs. The lines are kept for a toolstack that",
            "# can name the backend domain; enabling them as they are makes xl wait for dom0.",
        ] + lines.map { "# " + $0 }
    }

    private func backendKeys(_ backend: String?) -> [String] {
        backend.map { ["backend=\($0)"] } ?? []
    }
}
