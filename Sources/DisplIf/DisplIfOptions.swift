// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// How frontends' connectors map to display outputs, and the limits that bound
/// what one frontend can make the backend map and do.
public struct DisplIfOptions: Equatable, Sendable {
    /// (guest name, connector `unique-id`) → output (DRM connector name).
    /// A connector no binding names is refused: there is no default output.
    public var bindings: GuestBindings
    /// Largest display buffer (`buffer_sz`) one DBUF_CREATE may share.
    public var bufferLimit = 64 * 1024 * 1024
    /// Largest total of display buffer bytes one frontend may have mapped.
    public var totalBufferLimit = 256 * 1024 * 1024
    /// Largest total of bytes this backend allocates for one guest domain's
    /// display buffers (be-alloc), over all its cards.
    public var backendAllocationLimit = 64 * 1024 * 1024
    /// Most display buffers and framebuffers one frontend may hold at once.
    public var maxBuffers = 64
    public var maxFramebuffers = 64
    /// Most connectors one frontend may declare.
    public var maxConnectors = 8
    /// Largest width or height, in pixels, of a resolution or buffer.
    public var maxDimension: UInt32 = 16384

    public init(bindings: GuestBindings = GuestBindings()) {
        self.bindings = bindings
    }
}
