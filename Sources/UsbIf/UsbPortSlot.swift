// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One port of a virtual controller: what libxl assigned to it (`port/N`)
/// and the host device serving it, if it could be opened.
struct UsbPortSlot {
    /// The node's text as last read ("" when nothing is assigned).
    var assignedText = ""
    var assigned: UsbBusID?
    var device: USBOpenedDevice?
    /// The reason the assigned device is not attached, logged once.
    var failure: String?

    var speed: UsbSpeed { device?.speed ?? .none }
    var isAttached: Bool { device != nil }
}
