// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One protocol backend instance serving one frontend device (e.g. one vkbd).
/// `XenBackend` runs the xenbus handshake and calls these hooks; every grant
/// mapping and port the device obtains through its `XenbusLink` is released by
/// the core when the frontend disconnects, so a device cannot leak them.
public protocol XenDevice: AnyObject {
    associatedtype Platform: XenPlatform
    /// Writes the backend's nodes (features, parameters) before InitWait.
    func publish(_ link: XenbusLink<Platform>) throws(XenError)
    /// Reads the frontend's nodes, maps its shared pages and binds its event
    /// channel, all through `link`. A throw closes the frontend.
    func connect(_ link: XenbusLink<Platform>) throws(XenError)
    /// A port this device bound fired: do one turn's work (a `RequestChannel`
    /// serves one budget). Returns true if work is left: the backend gives the
    /// port another turn after every other channel had one. A throw closes the frontend.
    func handleEvent(_ link: XenbusLink<Platform>, port: Port) throws(XenError) -> Bool
    /// The frontend is going away: forget pointers into its pages (the link
    /// unmaps them right after this returns).
    func disconnect(_ link: XenbusLink<Platform>)
}

/// Makes the device for each frontend the backend discovers.
public protocol XenDeviceFactory: AnyObject {
    associatedtype Device: XenDevice
    /// The device type under `backend/` (`vkbd`, `vsnd`, `vdispl`, `vusb`).
    var deviceType: String { get }
    /// A new frontend device was found.
    func makeDevice(_ link: XenbusLink<Device.Platform>) -> Device
    /// A device was retired (its nodes are gone): release what it holds
    /// outside Xen. The backend owns the devices; the default does nothing.
    func deviceRetired(_ device: Device)
}

extension XenDeviceFactory {
    public func deviceRetired(_ device: Device) {}
}
