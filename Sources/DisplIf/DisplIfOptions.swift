// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// How frontends' connectors map to display outputs, and the limits that bound
/// what one frontend can make the backend map and do.
public struct DisplIfOptions: Equatable, Sendable {
    /// `unique-id` of a frontend connector → output (DRM connector name).
    public var bindings: [String: String]
    /// The output of connectors no binding names (the first `--connector`).
    public var defaultOutput: String
    /// Largest display buffer (`buffer_sz`) one DBUF_CREATE may share.
    public var bufferLimit = 64 * 1024 * 1024
    /// Largest total of display buffer bytes one frontend may have mapped.
    public var totalBufferLimit = 256 * 1024 * 1024
    /// Most display buffers and framebuffers one frontend may hold at once.
    public var maxBuffers = 64
    public var maxFramebuffers = 64
    /// Most connectors one frontend may declare.
    public var maxConnectors = 8
    /// Largest width or height, in pixels, of a resolution or buffer.
    public var maxDimension: UInt32 = 16384

    public init(bindings: [String: String] = [:], defaultOutput: String) {
        self.bindings = bindings
        self.defaultOutput = defaultOutput
    }

    /// The output a connector with `uniqueID` is shown on.
    public func output(forUniqueID uniqueID: String) -> String { bindings[uniqueID] ?? defaultOutput }
}
