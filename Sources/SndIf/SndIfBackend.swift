// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// An sndif backend process: serves every vsnd frontend of this domain. Add it
/// to the process's `PollLoop`; it polls xenstore, the event channels and the
/// fd of every open stream's PCM device, so playback, capture and position
/// events all run in that one loop.
public final class SndIfBackend<Platform: XenPlatform, Provider: PCMDeviceProvider>: ServedBackend {
    public let backend: XenBackend<SndDeviceFactory<Platform, Provider>>
    private let log: XenLog

    /// `bindings` say which guest's streams are served, by which PCM.
    public init(platform: Platform, provider: Provider, bindings: GuestBindings, log: XenLog,
                budget: GrantBudget = GrantBudget()) {
        self.log = log
        backend = XenBackend(platform: platform, factory: SndDeviceFactory(provider: provider, bindings: bindings, log: log),
                             log: log, budget: budget)
    }

    /// The bindings served (a scenario may add some while running).
    public var bindings: GuestBindings {
        get { backend.factory.table.bindings }
        set { backend.factory.table.bindings = newValue }
    }

    /// The live devices (one per frontend card).
    public var devices: [SndDevice<Platform, Provider>] { backend.devices }

    /// Starts watching for frontends.
    public func start() throws(XenError) { try backend.start() }

    /// Closes every frontend.
    public func shutdown() { backend.shutdown() }

    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        backend.appendPollDescriptors(to: &descriptors)
        // A device that is not connected has no streams, so it adds nothing.
        // (Indexed, not iterated: see SndDevice.handleEvent.)
        let devices = backend.devices
        var index = 0
        while index < devices.count {
            devices[index].appendPollDescriptors(to: &descriptors)
            index += 1
        }
    }

    public var hasDeferredWork: Bool { backend.hasDeferredWork }
    public func runDeferredWork() { backend.runDeferredWork() }

    public func handleReady(_ fd: Int32) {
        // The backend's own fds (xenstore watches, event channels) first: a
        // request round trip must not walk every stream's device first.
        let platform = backend.platform
        if fd == platform.events.fd || fd == platform.store.watchFD {
            backend.handleReady(fd)
            return
        }
        for device in backend.devices where device.isConnected {
            do {
                if try device.handleDeviceReady(fd, requeue: { backend.requeue(device.link, port: $0) }) { return }
            } catch {
                backend.closeFrontend(device.link, because: error)
                return
            }
        }
        backend.handleReady(fd)
    }
}
