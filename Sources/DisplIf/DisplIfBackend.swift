// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A displif backend process: serves every vdispl frontend of this domain on
/// one display sink. Add it to the process's `PollLoop`; it polls xenstore, the
/// event channels and the sink's fd, so requests and flip completions (sent to
/// the frontends as XENDISPL_EVT_PG_FLIP) all run in that one loop.
public final class DisplIfBackend<Platform: XenPlatform, Sink: DisplaySink>: ServedBackend {
    public let backend: XenBackend<DisplDeviceFactory<Platform, Sink>>
    public let sink: Sink
    private let log: XenLog

    public init(platform: Platform, sink: Sink, options: DisplIfOptions, log: XenLog) {
        self.sink = sink
        self.log = log
        backend = XenBackend(platform: platform, factory: DisplDeviceFactory(sink: sink, options: options, log: log), log: log)
    }

    /// The bindings served (a scenario may add some while running).
    public var bindings: GuestBindings {
        get { backend.factory.table.bindings }
        set { backend.factory.table.bindings = newValue }
    }

    /// The live devices (one per frontend card).
    public var devices: [DisplDevice<Platform, Sink>] { backend.devices }

    /// Starts watching for frontends.
    public func start() throws(XenError) { try backend.start() }

    /// Closes every frontend (their outputs are turned off).
    public func shutdown() { backend.shutdown() }

    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        backend.appendPollDescriptors(to: &descriptors)
        if sink.fd >= 0 { descriptors.append(sink.fd) }
    }

    public var hasDeferredWork: Bool { backend.hasDeferredWork }
    public func runDeferredWork() { backend.runDeferredWork() }

    public func handleReady(_ fd: Int32) {
        if fd == sink.fd && fd >= 0 {
            deliverCompletedFlips()
            return
        }
        backend.handleReady(fd)
    }

    /// Sends the PG_FLIP events of every flip the sink completed. Flips of
    /// frontends that went away meanwhile are dropped.
    public func deliverCompletedFlips() {
        for ticket in sink.completedFlips() {
            for device in devices where device.isConnected {
                do {
                    if try device.flipCompleted(ticket) { break }
                } catch {
                    backend.closeFrontend(device.link, because: error)
                    break
                }
            }
        }
    }
}
