// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Bounds the log lines one frontend can cause: the first `limit` lines of a
/// connection are written, then one line saying the rest are not, then none
/// until `reset` (the frontend connects again). A hostile frontend must not
/// flood DomD's console with refused requests or ignored events.
public struct LogLimiter {
    public let limit: Int
    /// Lines offered since the last reset (written or not).
    public private(set) var offered = 0

    public init(limit: Int = 32) { self.limit = limit }

    /// Writes `line()` to `log` while under the limit (the text is only built
    /// then); `prefix` starts the "not logging" notice that follows.
    public mutating func write(_ log: XenLog, prefix: String, _ line: () -> String) {
        offered += 1
        if offered <= limit {
            log.write(prefix + line())
        } else if offered == limit + 1 {
            log.write(prefix + "more lines of this kind are not logged until the frontend connects again")
        }
    }

    /// Starts counting again (a new connection).
    public mutating func reset() { offered = 0 }
}
