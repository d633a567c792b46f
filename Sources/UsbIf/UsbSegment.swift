// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One `struct usbif_request_segment`: `length` bytes at `offset` of the page
/// granted as `ref`. Valid only if `offset + length` stays within the page.
public struct UsbSegment: Equatable, Sendable {
    public var ref: GrantRef
    public var offset: UInt16
    public var length: UInt16
    public init(ref: GrantRef, offset: UInt16, length: UInt16) {
        self.ref = ref
        self.offset = offset
        self.length = length
    }

    /// True if the segment lies within one Xen page.
    public var isWithinPage: Bool { Int(offset) + Int(length) <= XenPage.size }
}
