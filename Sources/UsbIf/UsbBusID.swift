// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A host USB device as libxl names it in `port/N`: the sysfs name
/// `<bus>-<port>[.<port>...]` (e.g. `3-1.5`: bus 3, root port 1, hub port 5).
public struct UsbBusID: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let bus: UInt8
    /// Port numbers from the root hub down (1 to 7 levels, each 1...255).
    public let ports: [UInt8]

    public init(bus: UInt8, ports: [UInt8]) {
        self.bus = bus
        self.ports = ports
    }

    /// Parses a busid strictly; nil for anything else (`usb1`, `1-1:1.0`, `0-1`, `1-`, ...).
    public init?(_ text: String) {
        var numbers: [UInt32] = []
        var current: UInt32 = 0
        var digits = 0
        var sawDash = false
        for byte in text.utf8 {
            if byte >= 48 && byte <= 57 {
                current = current * 10 + UInt32(byte - 48)
                digits += 1
                if digits > 3 || current > 255 { return nil }
            } else if (byte == 45 && !sawDash) || (byte == 46 && sawDash) {  // '-' once, then '.'
                guard digits > 0 else { return nil }
                if byte == 45 { sawDash = true }
                numbers.append(current)
                current = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard sawDash, digits > 0 else { return nil }
        numbers.append(current)
        guard numbers.count >= 2, numbers.count <= 8, numbers[0] >= 1 else { return nil }
        for port in numbers.dropFirst() where port == 0 { return nil }
        bus = UInt8(numbers[0])
        ports = numbers.dropFirst().map { UInt8($0) }
    }

    public var description: String {
        var text = String(bus) + "-"
        for (index, port) in ports.enumerated() {
            if index > 0 { text += "." }
            text += String(port)
        }
        return text
    }
}
