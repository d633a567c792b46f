// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation

/// The passthrough check of a test session on a QEMU board: a guest vkb served
/// from a passed-through input device whose button QEMU can press.
///
/// - dom0 checks that Xen hid the device's host nodes from it (`status` is
///   "disabled" in dom0's /proc/device-tree) and that no gpio-keys input device
///   appeared in dom0 (`passthrough-hidden`);
/// - the guest opens xen-kbdfront's keyboard of that vkb and prints
///   `driverdom-test: press button`; dom0 relays it as `driverdom-test: press
///   power-button`, the host presses QEMU's power button through QMP
///   (`system_powerdown`), and the guest must read the key go down and up
///   (`passthrough-press`). Without the interrupt in DomD, or with dom0 owning
///   the device, no key arrives and the check fails.
package struct PassthroughTestPlan: Sendable, Hashable, CustomStringConvertible {
    /// The button the host presses: QEMU's power button (QMP `system_powerdown`).
    package static let button = "power-button"
    /// The QMP command that presses ``button``.
    package static let qmpCommand = "system_powerdown"
    /// dom0's check that Xen hid the device from it; printed once.
    package static let hiddenCheck = "passthrough-hidden"
    /// The guest's check that the button's press arrived through its vkb; printed by
    /// each guest with a vkb on the device (e2e-input-check `--button`, which spells it too).
    package static let pressCheck = "passthrough-press"
    /// The checks, in the order they print; judged as checks of the layer serving the device.
    package static let checks = [hiddenCheck, pressCheck]
    /// On a test guest's kernel command line: the vkb index (xl devid) of the button's keyboard.
    package static let guestFlag = "driverdom.button="

    /// The board device passed through.
    package var device: String
    /// Host device-tree nodes Xen must hide from dom0 (the device's top-level passed nodes).
    package var hiddenNodes: [String]
    /// The key code the button sends (the board's `linux,code`).
    package var keyCode: Int
    /// Guest name → index of its vkb on the device (xl numbers vkbs from 0 in list order).
    package var guests: [String: Int]

    package var description: String {
        "device \(device) key \(keyCode) hidden \(hiddenNodes.joined(separator: ",")) guests "
            + guests.keys.sorted().map { "\($0)=\(guests[$0]!)" }.joined(separator: ",")
    }

    /// The plan, or nil when the image has no such device: the board is booted by
    /// QEMU, DomD is a separate domain, the kbdif layer binds a passed-through
    /// input device that guests' vkbs use, and its nodes name a `linux,code`.
    package static func plan(for configuration: Configuration) -> PassthroughTestPlan? {
        guard configuration.board.boot.loader == .qemu, configuration.image.driverDomain.mode == .separate else { return nil }
        for binding in configuration.bindings where binding.layer.check.kit.contains(.input) {
            for device in binding.devices {
                guard let facts = device.passthrough, let code = keyCode(in: facts) else { continue }
                var guests: [String: Int] = [:]
                for guest in configuration.image.guests {
                    if let index = guest.vkb.firstIndex(where: { $0.device == device.id }) { guests[guest.name] = index }
                }
                guard !guests.isEmpty else { continue }
                let passed = facts.passedNodes
                let top = passed.filter { node in !passed.contains { node.dtPath.hasPrefix($0.dtPath + "/") } }
                return PassthroughTestPlan(device: device.id, hiddenNodes: top.map(\.dtPath), keyCode: code, guests: guests)
            }
        }
        return nil
    }

    /// The `linux,code = <N>` one of the device's nodes gives DomD.
    static func keyCode(in facts: Passthrough) -> Int? {
        for property in facts.allNodes.flatMap(\.properties) {
            let words = property.split(whereSeparator: { $0 == " " || $0 == "=" || $0 == "<" || $0 == ">" })
            guard words.count == 2, words[0] == "linux,code" else { continue }
            let text = String(words[1])
            if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
            return Int(text)
        }
        return nil
    }
}
