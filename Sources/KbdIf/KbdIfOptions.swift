// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// What the kbdif backend offers (backend nodes of xen/io/kbdif.h) and how it
/// buffers events for a slow frontend.
public struct KbdIfOptions: Equatable, Sendable {
    /// `feature-abs-pointer`.
    public var absolutePointer = true
    /// `feature-raw-pointer`.
    public var rawPointer = true
    /// `feature-multi-touch` (also needs a multi-touch input device).
    public var multiTouch = true
    /// `feature-disable-keyboard`: no keyboard device in the guest, key events dropped.
    public var disableKeyboard = false
    /// `feature-disable-pointer`: no pointer device in the guest, pointer events dropped.
    public var disablePointer = false
    /// `width` / `height`: absolute pointer range in pixels.
    public var width: UInt32 = 1920
    public var height: UInt32 = 1080
    /// `multi-touch-num-contacts`, `multi-touch-width`, `multi-touch-height`.
    public var touchContacts: UInt32 = 10
    public var touchWidth: UInt32 = 1920
    public var touchHeight: UInt32 = 1080
    /// Events kept per frontend while its ring is full; beyond this they are
    /// counted as overflow and logged.
    public var backlogCapacity = 1024

    public init() {}
}
