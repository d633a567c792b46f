// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A USB device's vendor and product ids as the image names it: `vvvv:pppp`
/// in hex (`1d6b:0104`), as `lsusb` prints them.
public struct UsbVendorProduct: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let vendor: UInt16
    public let product: UInt16

    public init(vendor: UInt16, product: UInt16) {
        self.vendor = vendor
        self.product = product
    }

    /// Parses exactly four hex digits, `:`, four hex digits; nil for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 9, bytes[4] == 58 else { return nil }
        var values: [UInt16] = [0, 0]
        for (index, byte) in bytes.enumerated() where index != 4 {
            let digit: UInt16
            switch byte {
            case 48...57: digit = UInt16(byte - 48)
            case 97...102: digit = UInt16(byte - 87)
            case 65...70: digit = UInt16(byte - 55)
            default: return nil
            }
            values[index < 4 ? 0 : 1] = values[index < 4 ? 0 : 1] << 4 | digit
        }
        self.init(vendor: values[0], product: values[1])
    }

    public var description: String { Self.hex4(vendor) + ":" + Self.hex4(product) }

    private static func hex4(_ value: UInt16) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for shift in [12, 8, 4, 0] { out.append(digits[Int((value >> UInt16(shift)) & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
