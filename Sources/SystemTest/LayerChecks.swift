// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// What `driverdom test` expects of an image's layers, from each layer's
/// `check:` (kit checks, own verdicts, teardown): the verdict names per layer and
/// how many of each the session prints. No layer is known by name.
package struct LayerChecks: Sendable {
    /// Each layer's checks, by layer name (``EndToEndChecks/checks(of:)``).
    package var checks: [String: [String]] = [:]
    /// How many guests each layer serves (a layer serving none is not judged).
    package var guestsPerLayer: [String: Int] = [:]
    /// Checks added for this image: the passthrough checks of a layer running the kit's input check.
    package var extraChecks: [String: [String]] = [:]
    /// How many verdicts each check prints.
    package var checkCounts: [String: Int] = [:]

    /// The expectations for `configuration`'s layers.
    package init(configuration: Configuration) {
        let allGuests = configuration.image.guests.count
        for layer in configuration.layers {
            let served = configuration.guests(servedBy: layer.name).count
            checks[layer.name] = EndToEndChecks.checks(of: layer)
            guestsPerLayer[layer.name] = served
            for kit in layer.check.kit {
                let count = Self.guests(of: kit, in: configuration) ?? served
                for verdict in EndToEndChecks.verdicts(of: kit) { checkCounts[verdict] = count }
            }
            for verdict in layer.check.verdicts { checkCounts[verdict] = served }
            if layer.check.teardown { checkCounts[EndToEndChecks.teardown(of: layer.name)] = served }
            if layer.check.kit.contains(.input) { guestsPerLayer[layer.name] = allGuests }
        }
        if let passthrough = PassthroughTestPlan.plan(for: configuration),
           let layer = configuration.binding(serving: passthrough.device)?.layer.name {
            // dom0 prints the hidden check once; each guest with a vkb on the device prints the passthrough check.
            extraChecks[layer] = PassthroughTestPlan.checks
            checkCounts[PassthroughTestPlan.hiddenCheck] = 1
            checkCounts[PassthroughTestPlan.pressCheck] = passthrough.guests.count
        }
        if let usb = UsbTestPlan.plan(for: configuration), usb.vhci != nil,
           let layer = configuration.layers.first(where: { $0.check.kit.contains(.usb) })?.name {
            // The first USB-tested guest records the counter microphone through its vhci-hcd port.
            extraChecks[layer, default: []].append(UsbTestPlan.isoCheck)
            checkCounts[UsbTestPlan.isoCheck] = 1
        }
    }

    /// How many guests print a kit check's verdicts when it is not every guest the layer serves:
    /// the input check runs in every guest; the display check in the first guest with a vdispl;
    /// the USB checks in the guests with a port on the dummy controller.
    static func guests(of kit: EndToEndKit, in configuration: Configuration) -> Int? {
        switch kit {
        case .input: return configuration.image.guests.count
        case .sound: return configuration.image.guests.filter { !$0.vsnd.isEmpty }.count
        case .display: return DisplayTestPlan.guestCount(configuration)
        case .usb: return UsbTestPlan.plan(for: configuration)?.guests.count ?? 0
        }
    }

    /// The verdicts guest `guest` prints itself (the guest-side kit input check and the
    /// layers' own verdicts), for dom0's "was not created" and "printed no verdict" lines.
    package static func guestVerdicts(of guest: String, in configuration: Configuration) -> [String] {
        var result: [String] = []
        if configuration.layers.contains(where: { $0.check.kit.contains(.input) }) { result.append(EndToEndChecks.inputCheck) }
        for layer in configuration.layers where configuration.guests(servedBy: layer.name).contains(where: { $0.name == guest }) {
            result += layer.check.verdicts
        }
        return result
    }

    /// The layers with a teardown check serving `guest`: name and xenstore folder.
    package static func teardowns(of guest: String, in configuration: Configuration) -> [(layer: String, folder: String)] {
        configuration.layers.filter { layer in
            layer.check.teardown && configuration.guests(servedBy: layer.name).contains { $0.name == guest }
        }.map { ($0.name, $0.xenstoreFolder) }
    }

    /// The layers with a guest check script serving `guest`, in image order.
    package static func guestScripts(of guest: String, in configuration: Configuration) -> [(layer: String, script: String)] {
        configuration.layers.compactMap { layer in
            guard let script = layer.check.guestScript,
                  configuration.guests(servedBy: layer.name).contains(where: { $0.name == guest }) else { return nil }
            return (layer.name, script)
        }
    }
}
