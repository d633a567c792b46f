// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// How the backend serves its controllers (from usbif-backend's command line).
public struct UsbIfOptions: Equatable, Sendable {
    /// URBs one controller may have at the host at once; more wait in the
    /// backend (still consumed from the ring, so unlinks are always seen).
    public var maxUrbs: Int
    /// Report host devices arriving on and leaving assigned ports (hot-plug).
    public var hotplug: Bool
    /// Only devices on this USB bus (the bound controller's) may be assigned; nil: any.
    public var bus: UInt8?

    public init(maxUrbs: Int = 64, hotplug: Bool = true, bus: UInt8? = nil) {
        self.maxUrbs = maxUrbs
        self.hotplug = hotplug
        self.bus = bus
    }
}
