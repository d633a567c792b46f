// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The EDID answered to GET_EDID: one 128-byte EDID 1.4 base block (VESA
/// E-EDID) whose preferred detailed timing is the connector's resolution at
/// 60 Hz with reduced blanking, named "driverdom".
public enum EDID {
    /// Whether `bytes` can be handed to a frontend as an EDID: whole 128-byte
    /// blocks (at most ``DisplIfWire/edidMaxSize`` bytes), the base block's
    /// header, each block summing to 0, and as many extension blocks as the base says.
    public static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        let size = DisplIfWire.edidBlockSize
        guard bytes.count >= size, bytes.count % size == 0, bytes.count <= DisplIfWire.edidMaxSize,
              Array(bytes[0..<8]) == [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00],
              Int(bytes[126]) + 1 == bytes.count / size else { return false }
        for block in 0..<(bytes.count / size) {
            var sum: UInt8 = 0
            for index in (block * size)..<((block + 1) * size) { sum &+= bytes[index] }
            guard sum == 0 else { return false }
        }
        return true
    }


    /// The block for a `width`×`height` connector; nil if a detailed timing
    /// cannot describe it (a side above 4095 pixels).
    public static func block(width: UInt32, height: UInt32) -> [UInt8]? {
        guard width > 0, height > 0, width <= 4095, height <= 4095 else { return nil }
        var edid = [UInt8](repeating: 0, count: DisplIfWire.edidBlockSize)
        let header: [UInt8] = [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]
        for index in 0..<8 { edid[index] = header[index] }
        edid[8] = 0x60  // manufacturer "XEN": (24 << 10) | (5 << 5) | 14, big-endian
        edid[9] = 0xAE
        edid[10] = 0x01  // product code 1
        edid[16] = 1  // week
        edid[17] = 34  // 2024 - 1990
        edid[18] = 1  // EDID 1.4
        edid[19] = 4
        edid[20] = 0xA5  // digital input, 8 bits per colour, DisplayPort
        edid[23] = 120  // gamma 2.2
        edid[24] = 0x06  // RGB 4:4:4, preferred timing mode in the first descriptor
        for index in 38..<54 { edid[index] = 0x01 }  // no standard timings
        detailedTiming(width: width, height: height, into: &edid, at: 54)
        let name: [UInt8] = Array("driverdom\n   ".utf8)
        edid[72 + 3] = 0xFC  // display product name
        for index in 0..<13 { edid[72 + 5 + index] = name[index] }
        edid[90 + 3] = 0x10  // dummy descriptors
        edid[108 + 3] = 0x10
        var sum: UInt8 = 0
        for index in 0..<127 { sum &+= edid[index] }
        edid[127] = 0 &- sum
        return edid
    }

    /// CVT reduced blanking: 160 pixels of horizontal blanking, at least 460 µs
    /// of vertical blanking (here: at least 6 % of the lines, minimum 23).
    static func detailedTiming(width: UInt32, height: UInt32, into edid: inout [UInt8], at offset: Int) {
        let hBlank: UInt32 = 160
        let vBlank: UInt32 = max(23, height / 16)
        let clock = (width + hBlank) * (height + vBlank) * 60 / 10_000  // 10 kHz units
        let hFront: UInt32 = 48, hSync: UInt32 = 32, vFront: UInt32 = 3, vSync: UInt32 = 5
        func byte(_ value: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: value) }
        edid[offset] = byte(clock)
        edid[offset + 1] = byte(clock >> 8)
        edid[offset + 2] = byte(width)
        edid[offset + 3] = byte(hBlank)
        edid[offset + 4] = byte((width >> 8) << 4 | hBlank >> 8)
        edid[offset + 5] = byte(height)
        edid[offset + 6] = byte(vBlank)
        edid[offset + 7] = byte((height >> 8) << 4 | vBlank >> 8)
        edid[offset + 8] = byte(hFront)
        edid[offset + 9] = byte(hSync)
        edid[offset + 10] = byte(vFront << 4 | vSync)
        edid[offset + 11] = 0
        edid[offset + 17] = 0x1A  // digital separate sync, +hsync, -vsync
    }
}
