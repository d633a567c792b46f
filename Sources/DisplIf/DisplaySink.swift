// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A view of guest pixels, valid only during the `DisplaySink` call it is
/// passed to: `height` rows of `width` pixels of `format`, `pitch` bytes apart,
/// from `base`. The backend has checked the whole rectangle lies inside a
/// mapped display buffer; the sink copies it and keeps no pointer.
public struct DisplayFrame {
    public var base: UnsafeRawPointer
    public var pitch: Int
    public var width: Int
    public var height: Int
    public var format: PixelFormat

    public init(base: UnsafeRawPointer, pitch: Int, width: Int, height: Int, format: PixelFormat) {
        self.base = base
        self.pitch = pitch
        self.width = width
        self.height = height
        self.format = format
    }
}

/// Names one page flip the backend asked a sink for; handed back on completion.
public struct FlipTicket: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
}

/// What the backend shows guest frames on: named outputs (DRM connectors such
/// as `Virtual-1` for the real sink). Implementations: `DRMDisplaySink` (DRM/KMS,
/// copy mode), `RecordingDisplaySink` (tests), `NullDisplaySink`.
public protocol DisplaySink: AnyObject {
    /// Readable when flips complete asynchronously (`completedFlips`); -1 if never.
    var fd: Int32 { get }
    /// Lights `output` with a `width`×`height` mode showing `frame` (SET_CONFIG).
    func enable(output: String, width: UInt32, height: UInt32, frame: DisplayFrame) throws(DisplIfError)
    /// Stops showing the guest on `output` (SET_CONFIG reset, or its frontend
    /// went away): the sink blanks it or paints its background colour.
    func disable(output: String)
    /// Copies `frame` and presents it on the enabled `output`. Returns true if the
    /// flip is complete now; false if `ticket` will come back from `completedFlips`
    /// (after the next vertical blank).
    func flip(output: String, frame: DisplayFrame, ticket: FlipTicket) throws(DisplIfError) -> Bool
    /// Tickets of the flips completed since the last call (call when `fd` is readable).
    func completedFlips() -> [FlipTicket]
    /// The EDID of the monitor on `output` (base block and extensions), or nil
    /// when it has none (a virtual connector); GET_EDID answers with it.
    func edid(output: String) -> [UInt8]?
}
