// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One connector as the frontend declares it under `<fe>/<index>`, and the
/// display output the command line binds it to.
public struct DisplConnectorSpec: Equatable, Sendable {
    public var index: Int
    public var uniqueID: String
    public var width: UInt32
    public var height: UInt32
    /// The DomD output (DRM connector name) frames are shown on.
    public var output: String

    public init(index: Int, uniqueID: String, width: UInt32, height: UInt32, output: String) {
        self.index = index
        self.uniqueID = uniqueID
        self.width = width
        self.height = height
        self.output = output
    }

    /// Parses `<width>x<height>` (XENDISPL_RESOLUTION_SEPARATOR); nil unless
    /// both are decimal numbers in 1...`limit`.
    public static func parseResolution(_ text: String, limit: UInt32) -> (width: UInt32, height: UInt32)? {
        var parts: [[UInt8]] = [[]]
        for byte in text.utf8 {
            if byte == 120 { parts.append([]) } else { parts[parts.count - 1].append(byte) }  // 'x'
        }
        guard parts.count == 2,
              let width = DisplConnectorSpec.parseNumber(parts[0]), let height = DisplConnectorSpec.parseNumber(parts[1]),
              width > 0, height > 0, width <= limit, height <= limit else { return nil }
        return (width, height)
    }

    static func parseNumber(_ digits: [UInt8]) -> UInt32? {
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + UInt32(byte - 48)
        }
        return value
    }
}
