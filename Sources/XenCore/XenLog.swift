// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Where the core and backends write their log lines (one line per call).
public struct XenLog {
    public var write: (String) -> Void
    public init(write: @escaping (String) -> Void) { self.write = write }
    /// Prints each line to standard output.
    public static var standardOutput: XenLog { XenLog { print($0) } }
    /// Drops every line.
    public static var discard: XenLog { XenLog { _ in } }
}
