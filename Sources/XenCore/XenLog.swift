// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Where the core and backends write their log lines (one line per call).
public struct XenLog {
    public var write: (String) -> Void
    public init(write: @escaping (String) -> Void) { self.write = write }
    /// Prints each line to standard output.
    public static var standardOutput: XenLog { XenLog { print($0) } }
    /// Drops every line.
    public static var discard: XenLog { XenLog { _ in } }

    /// Most bytes of frontend text `escaped` keeps.
    public static var escapedLimit: Int { 64 }

    /// Text a frontend wrote (a xenstore node, a unique-id), made safe for one
    /// log line: printable ASCII stays, every other byte becomes `\xNN`, and
    /// more than `escapedLimit` bytes are cut and marked `...`. A guest cannot
    /// forge log lines, move the cursor or fill the console through it.
    public static func escaped(_ text: String, limit: Int = XenLog.escapedLimit) -> String {
        let digits: StaticString = "0123456789abcdef"
        var result: [UInt8] = []
        var kept = 0
        for byte in text.utf8 {
            if kept >= limit {
                result += "...".utf8
                break
            }
            kept += 1
            if byte >= 0x20 && byte < 0x7F && byte != 0x5C {
                result.append(byte)
            } else {
                result += "\\x".utf8
                result.append(digits.utf8Start[Int(byte >> 4)])
                result.append(digits.utf8Start[Int(byte & 0x0F)])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
