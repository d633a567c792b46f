// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Shows nothing: every flip completes at once. For a backend with no display
/// attached and for measuring the protocol path alone.
public final class NullDisplaySink: DisplaySink {
    public init() {}
    public var fd: Int32 { -1 }
    public func enable(output: String, width: UInt32, height: UInt32, frame: DisplayFrame) throws(DisplIfError) {}
    public func disable(output: String) {}
    public func flip(output: String, frame: DisplayFrame, ticket: FlipTicket) throws(DisplIfError) -> Bool { true }
    public func completedFlips() -> [FlipTicket] { [] }
    public func edid(output: String) -> [UInt8]? { nil }
}
