// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A kbdif backend process: serves every vkbd frontend of this domain and
/// sends each of them the events of one input source. Add it to the process's
/// `PollLoop`; it polls xenstore, the event channels and the input device.
public final class KbdIfBackend<Platform: XenPlatform, Source: InputEventSource>: ServedBackend {
    public let backend: XenBackend<KbdDeviceFactory<Platform>>
    public let source: Source
    private let log: XenLog
    private var input: [InputEvent] = []
    /// True once the input source failed for good (its fd is then not polled).
    public private(set) var sourceFailed = false

    /// `deviceType` is the folder under `backend/` to serve: `KbdIfWire.linuxBackendType`
    /// for devices xl creates with backend-type=linux.
    public init(platform: Platform, source: Source, options: KbdIfOptions, log: XenLog,
                deviceType: String = KbdIfWire.deviceType) {
        self.source = source
        self.log = log
        let factory = KbdDeviceFactory<Platform>(options: options, capabilities: source.capabilities, log: log,
                                                 deviceType: deviceType)
        self.backend = XenBackend(platform: platform, factory: factory, log: log)
    }

    /// The live devices.
    public var devices: [KbdDevice<Platform>] { backend.devices }

    /// Starts watching for frontends.
    public func start() throws(XenError) { try backend.start() }

    /// Closes every frontend.
    public func shutdown() { backend.shutdown() }

    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        backend.appendPollDescriptors(to: &descriptors)
        if source.fd >= 0 && !sourceFailed { descriptors.append(source.fd) }
    }

    public var hasDeferredWork: Bool { backend.hasDeferredWork }
    public func runDeferredWork() { backend.runDeferredWork() }

    public func handleReady(_ fd: Int32) {
        if fd == source.fd && !sourceFailed {
            pumpInput()
        } else {
            backend.handleReady(fd)
        }
    }

    /// Reads what the source has and hands it to every connected frontend.
    public func pumpInput() {
        input.removeAll(keepingCapacity: true)
        do {
            try source.readEvents(into: &input)
        } catch {
            log.write("kbdif: \(error.description)")
            if case .deviceGone = error { sourceFailed = true }
            if case .readFailed = error { sourceFailed = true }
        }
        guard !input.isEmpty else { return }
        for device in devices where device.isConnected {
            do { try device.deliver(input) } catch { backend.closeFrontend(device.link, because: error) }
        }
    }
}
