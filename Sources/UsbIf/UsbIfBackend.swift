// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A usbif backend process: serves every `qusb` controller of this domain
/// from one `USBHost`. Add it to the process's `PollLoop`; it polls xenstore,
/// the event channels and the host's fds, so URB completions, hot-plug and
/// port assignments (libxl writing `port/N`) all run in that one loop.
public final class UsbIfBackend<Platform: XenPlatform, Host: USBHost>: ServedBackend {
    public let backend: XenBackend<UsbDeviceFactory<Platform, Host>>
    public let host: Host
    private let log: XenLog

    public init(platform: Platform, host: Host, options: UsbIfOptions, log: XenLog) {
        self.host = host
        self.log = log
        backend = XenBackend(platform: platform, factory: UsbDeviceFactory(host: host, options: options, log: log), log: log)
    }

    /// The live controllers.
    public var devices: [UsbDevice<Platform, Host>] { backend.devices }

    public func start() throws(XenError) { try backend.start() }

    public func shutdown() { backend.shutdown() }

    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        backend.appendPollDescriptors(to: &descriptors)
        host.appendPollDescriptors(to: &descriptors)
    }

    public var hasDeferredWork: Bool { backend.hasDeferredWork }
    public func runDeferredWork() { backend.runDeferredWork() }

    public func handleReady(_ fd: Int32) {
        if host.handleReady(fd) {
            drainHost()
            return
        }
        backend.handleReady(fd)
        if fd == backend.platform.store.watchFD {  // a port/N may have changed
            for device in devices {
                device.refreshPorts()
                serve(device) { (d) throws(XenError) in try d.flushConn() }
            }
        }
    }

    /// Routes host completions to their controllers and hot-plug events to all.
    private func drainHost() {
        while let completion = host.nextCompletion() {
            for device in devices {
                var owned = false
                serve(device) { (d) throws(XenError) in owned = try d.complete(completion) }
                if owned { break }
            }
        }
        while let event = host.nextEvent() {
            for device in devices {
                device.hostEvent(event)
                serve(device) { (d) throws(XenError) in try d.flushConn() }
            }
        }
    }

    /// Runs `body`; a Xen failure (e.g. a ring overrun) closes that frontend only.
    private func serve(_ device: UsbDevice<Platform, Host>, _ body: (UsbDevice<Platform, Host>) throws(XenError) -> Void) {
        guard device.isConnected else { return }
        do { try body(device) } catch { backend.closeFrontend(device.link, because: error) }
    }
}
