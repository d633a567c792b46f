// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// How the backend serves its controllers (from usbif-backend's command line).
public struct UsbIfOptions: Equatable, Sendable {
    /// URBs one device may have at the host at once; more wait in the backend
    /// (still consumed from the ring, so unlinks are always seen). The URB
    /// ring itself holds 16 requests.
    public var maxUrbs: Int
    /// Report host devices arriving on and leaving assigned ports (hot-plug).
    public var hotplug: Bool
    /// Only devices on these USB buses (the bound controller's root hubs) may
    /// be assigned; empty: any.
    public var buses: [UInt8]
    /// Ports the image gives host devices: guest name, controller devid (`id`),
    /// port number (`direction`) and a bus path or `vvvv:pppp` (`target`). The
    /// backend writes the controller's `port/N` from them (libxl cannot for a
    /// backend outside dom0); a port nothing binds keeps what the toolstack wrote.
    public var bindings: GuestBindings

    public init(maxUrbs: Int = 64, hotplug: Bool = true, buses: [UInt8] = [], bindings: GuestBindings = GuestBindings()) {
        self.maxUrbs = maxUrbs
        self.hotplug = hotplug
        self.buses = buses
        self.bindings = bindings
    }
}
