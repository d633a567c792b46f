// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The features one frontend requested and the backend offers (xen/io/kbdif.h:
/// "Requests for features not advertised as supported by the backend have no effect").
public struct KbdNegotiation: Equatable, Sendable {
    /// Report XENKBD_TYPE_POS instead of XENKBD_TYPE_MOTION.
    public var absolute: Bool
    /// Report absolute coordinates unscaled in [0, 0x7fff] (only with `absolute`).
    public var raw: Bool
    /// Report XENKBD_TYPE_MTOUCH events.
    public var multiTouch: Bool
    public init(absolute: Bool, raw: Bool, multiTouch: Bool) {
        self.absolute = absolute
        self.raw = raw && absolute
        self.multiTouch = multiTouch
    }
}
