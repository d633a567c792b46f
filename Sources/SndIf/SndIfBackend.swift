// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// An sndif backend process: serves every vsnd frontend of this domain. Add it
/// to the process's `PollLoop`; it polls xenstore, the event channels and the
/// fd of every open stream's PCM device, so playback, capture and position
/// events all run in that one loop.
public final class SndIfBackend<Platform: XenPlatform, Provider: PCMDeviceProvider>: ServedBackend {
    public let backend: XenBackend<SndDeviceFactory<Platform, Provider>>
    private let log: XenLog

    public init(platform: Platform, provider: Provider, log: XenLog) {
        self.log = log
        backend = XenBackend(platform: platform, factory: SndDeviceFactory(provider: provider, log: log), log: log)
    }

    /// The live devices (one per frontend card).
    public var devices: [SndDevice<Platform, Provider>] { backend.factory.devices }

    /// Starts watching for frontends.
    public func start() throws(XenError) { try backend.start() }

    /// Closes every frontend.
    public func shutdown() { backend.shutdown() }

    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        backend.appendPollDescriptors(to: &descriptors)
        for device in devices where device.isConnected { device.appendPollDescriptors(to: &descriptors) }
    }

    public func handleReady(_ fd: Int32) {
        for device in devices where device.isConnected {
            do {
                if try device.handleDeviceReady(fd) { return }
            } catch {
                backend.closeFrontend(device.link, because: error)
                return
            }
        }
        backend.handleReady(fd)
    }
}
