// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The command line of kbdif-backend, as the DomD init passes it from the
/// image config: the evdev device for vkbs no `--bind` names, the device of
/// each vkb by its `unique-id`, and the layer's options.
public struct KbdIfCommandLine: BackendCommandLine {
    public static let usage = """
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

    /// The device for every vkb no `--bind` names; empty if none.
    public var devicePath = ""
    /// `--bind UNIQUE-ID DEVICE` pairs, in order.
    public var binds: [(uniqueID: String, devicePath: String)] = []
    public var grab = false
    public var domain: DomainID?
    public var options = KbdIfOptions()

    public init() {}

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(BackendArgumentError) -> KbdIfCommandLine {
        var parsed = KbdIfCommandLine()
        var reader = ArgumentReader(arguments)
        let anyNumber = UInt32.min...UInt32.max
        while let argument = try reader.next() {
            switch ByteString(argument) {
            case "--grab": parsed.grab = true
            case "--bind":
                let words = try reader.values(of: argument, count: 2, expected: "a vkb unique-id and an input device")
                if parsed.binds.contains(where: { $0.uniqueID.bytesEqual(words[0]) }) {
                    throw .givenTwice("the binding of unique-id '" + words[0] + "'")
                }
                parsed.binds.append((words[0], words[1]))
            case "--no-abs-pointer": parsed.options.absolutePointer = false
            case "--no-raw-pointer": parsed.options.rawPointer = false
            case "--no-multi-touch": parsed.options.multiTouch = false
            case "--disable-keyboard": parsed.options.disableKeyboard = true
            case "--disable-pointer": parsed.options.disablePointer = true
            case "--width": parsed.options.width = try reader.number(of: argument, in: anyNumber, expected: "an unsigned number")
            case "--height": parsed.options.height = try reader.number(of: argument, in: anyNumber, expected: "an unsigned number")
            case "--touch-width":
                parsed.options.touchWidth = try reader.number(of: argument, in: anyNumber, expected: "an unsigned number")
            case "--touch-height":
                parsed.options.touchHeight = try reader.number(of: argument, in: anyNumber, expected: "an unsigned number")
            case "--touch-contacts":
                parsed.options.touchContacts = try reader.number(of: argument, in: anyNumber, expected: "an unsigned number")
            case "--backlog":
                parsed.options.backlogCapacity = Int(try reader.number(of: argument, in: anyNumber, expected: "an unsigned number"))
            case "--domain":
                parsed.domain = try reader.domain(of: argument)
            default:
                let device = try reader.positional(argument)
                guard parsed.devicePath.isEmpty else {
                    throw .unexpectedArgument(device, reason: "one default input device is served, and "
                                              + parsed.devicePath + " is given; name others with --bind")
                }
                parsed.devicePath = device
            }
        }
        if parsed.devicePath.isEmpty && parsed.binds.isEmpty { throw .missing("an input device (or --bind UNIQUE-ID DEVICE)") }
        return parsed
    }
}
