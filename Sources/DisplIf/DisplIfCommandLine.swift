// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The command line of displif-backend, as the DomD init passes it from the
/// image config: the DRM card, the DomD connectors it may drive, which guest's
/// connector (by guest name and `unique-id`, set in the guest's xl vdispl
/// stanza) goes to which of them, and the display options. A connector no
/// `--bind` names is refused; the binding never comes from the frontend.
public struct DisplIfCommandLine: BackendCommandLine, Equatable {
    public static let usage = """
        usage: displif-backend [--vsync] [--zero-copy] [--background RGB] [--domain N]
                               DRM-CARD --connector NAME [--connector NAME ...]
                               [--bind GUEST UNIQUE-ID CONNECTOR ...]
          DRM-CARD               DRM device node, e.g. /dev/dri/card0
          --connector NAME       DomD DRM connector to show guests on, e.g. Virtual-1 (repeatable)
          --bind GUEST UNIQUE-ID NAME
                                 the connector with this unique-id of the guest domain named GUEST
                                 is shown on NAME (repeatable); connectors no --bind names are refused
          --vsync                flip on vertical blank and report a flip done after it
          --zero-copy            scan guest buffers out directly (not implemented: refused)
          --background RGB       0xRRGGBB or decimal colour around a smaller guest frame (default 0)
          --domain N             own domain id (default: read xenstore node "domid")
        """

    public var cardPath = ""
    /// DomD connectors, in command-line order.
    public var connectors: [String] = []
    /// (guest, `unique-id`) → DomD connector.
    public var bindings = GuestBindings()
    public var vsync = false
    public var zeroCopy = false
    public var background: UInt32 = 0
    public var domain: DomainID?

    public init() {}

    /// Every DomD connector the backend drives: the `--connector`s, then bound
    /// ones not among them, without repeats.
    public var outputs: [String] {
        var result: [String] = []
        for name in connectors + bindings.targets where !result.containsBytes(name) {
            result.append(name)
        }
        return result
    }

    /// The device options these arguments give.
    public var options: DisplIfOptions { DisplIfOptions(bindings: bindings) }

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(BackendArgumentError) -> DisplIfCommandLine {
        var parsed = DisplIfCommandLine()
        var reader = ArgumentReader(arguments)
        while let argument = try reader.next() {
            switch ByteString(argument) {
            case "--connector":
                let name = try reader.value(of: argument, expected: "a DRM connector name")
                guard !parsed.connectors.containsBytes(name) else { throw .givenTwice("connector '\(name)'") }
                parsed.connectors.append(name)
            case "--bind":
                let words = try reader.values(of: argument, count: 3, expected: "GUEST, UNIQUE-ID and CONNECTOR")
                guard parsed.bindings.add(GuestBinding(guest: words[0], id: words[1], target: words[2])) else {
                    throw .givenTwice("the binding of unique-id '\(words[1])' of guest '\(words[0])'")
                }
            case "--vsync":
                parsed.vsync = true
            case "--zero-copy":
                parsed.zeroCopy = true
            case "--background":
                let expected = "a colour 0...0xFFFFFF (decimal or 0x hex)"
                let text = try reader.value(of: argument, expected: expected)
                guard let colour = parseColour(text) else { throw .invalidValue(option: argument, value: text, expected: expected) }
                parsed.background = colour
            case "--domain":
                parsed.domain = try reader.domain(of: argument)
            default:
                let card = try reader.positional(argument)
                guard parsed.cardPath.isEmpty else {
                    throw .unexpectedArgument(card, reason: "one DRM card is served, and " + parsed.cardPath + " is given")
                }
                parsed.cardPath = card
            }
        }
        if parsed.cardPath.isEmpty { throw .missing("DRM-CARD (e.g. /dev/dri/card0)") }
        if parsed.connectors.isEmpty { throw .missing("--connector NAME") }
        if parsed.zeroCopy {
            throw .refused(option: "--zero-copy",
                           reason: "is not implemented: this backend copies frames; drop the option (zero_copy: false)")
        }
        return parsed
    }

    /// Parses `0xRRGGBB` or a decimal number up to 0xFFFFFF.
    static func parseColour(_ text: String) -> UInt32? {
        var digits = Array(text.utf8)
        var radix: UInt32 = 10
        if digits.count > 2, digits[0] == 48, digits[1] == 120 || digits[1] == 88 {
            digits.removeFirst(2)
            radix = 16
        }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 97...102 where radix == 16: digit = UInt32(byte - 87)
            case 65...70 where radix == 16: digit = UInt32(byte - 55)
            default: return nil
            }
            value = value * radix + digit
            if value > 0xFF_FFFF { return nil }
        }
        return value
    }
}
