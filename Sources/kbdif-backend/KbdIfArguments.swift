// SPDX-License-Identifier: GPL-2.0-only OR MIT
import KbdIf
import XenCore

/// The command line of kbdif-backend, as the DomD init passes it.
struct KbdIfArguments {
    static let usage = """
        usage: kbdif-backend [options] [/dev/input/eventN] [--bind UNIQUE-ID /dev/input/eventM]...
          /dev/input/eventN      the device for every vkb no --bind names
          --bind ID DEVICE       the device for the vkb whose unique-id is ID (repeatable)
          --grab                 take the devices exclusively (EVIOCGRAB)
          --width N, --height N  absolute pointer range reported to frontends (default 1920x1080)
          --touch-width N, --touch-height N, --touch-contacts N   multi-touch parameters
          --no-abs-pointer --no-raw-pointer --no-multi-touch      do not offer these features
          --disable-keyboard --disable-pointer                    tell frontends not to create them
          --domain N             own domain id (default: read xenstore node "domid")
          --backlog N            events kept per slow frontend (default 1024)
        """

    var devicePath = ""
    /// `--bind UNIQUE-ID DEVICE` pairs, in order.
    var binds: [(uniqueID: String, devicePath: String)] = []
    var grab = false
    var domain: DomainID?
    var options = KbdIfOptions()

    /// Parses `arguments` (without the program name); nil text on success, the problem otherwise.
    static func parse(_ arguments: [String]) -> (KbdIfArguments, String?) {
        var parsed = KbdIfArguments()
        var index = 0
        func number(_ name: String) -> UInt32? {
            index += 1
            guard index < arguments.count else { return nil }
            return XenPath.parseUInt32(arguments[index])
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--grab": parsed.grab = true
            case "--bind":
                guard index + 2 < arguments.count, !arguments[index + 1].isEmpty, !arguments[index + 2].isEmpty else {
                    return (parsed, "--bind needs a vkb unique-id and an input device")
                }
                if parsed.binds.contains(where: { $0.uniqueID == arguments[index + 1] }) {
                    return (parsed, "--bind " + arguments[index + 1] + " is given twice")
                }
                parsed.binds.append((arguments[index + 1], arguments[index + 2]))
                index += 2
            case "--no-abs-pointer": parsed.options.absolutePointer = false
            case "--no-raw-pointer": parsed.options.rawPointer = false
            case "--no-multi-touch": parsed.options.multiTouch = false
            case "--disable-keyboard": parsed.options.disableKeyboard = true
            case "--disable-pointer": parsed.options.disablePointer = true
            case "--width", "--height", "--touch-width", "--touch-height", "--touch-contacts", "--domain", "--backlog":
                guard let value = number(argument) else { return (parsed, argument + " needs an unsigned number") }
                switch argument {
                case "--width": parsed.options.width = value
                case "--height": parsed.options.height = value
                case "--touch-width": parsed.options.touchWidth = value
                case "--touch-height": parsed.options.touchHeight = value
                case "--touch-contacts": parsed.options.touchContacts = value
                case "--backlog": parsed.options.backlogCapacity = Int(value)
                default:
                    guard value < 0x7FF0 else { return (parsed, "--domain must be below 32752") }
                    parsed.domain = DomainID(UInt16(value))
                }
            default:
                if argument.hasPrefix("-") { return (parsed, "unknown option " + argument) }
                if !parsed.devicePath.isEmpty { return (parsed, "only one input device may be given") }
                parsed.devicePath = argument
            }
            index += 1
        }
        if parsed.devicePath.isEmpty && parsed.binds.isEmpty { return (parsed, "no input device given") }
        return (parsed, nil)
    }
}
