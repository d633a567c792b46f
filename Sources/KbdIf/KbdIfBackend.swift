// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One input source of a kbdif backend and the frontends it feeds: those whose
/// backend node `unique-id` (xl's vkb `unique-id=`) is `uniqueID`, or, for the
/// default source (`uniqueID` nil), every frontend no other source claims.
public struct KbdSourceBinding<Source: InputEventSource> {
    public var uniqueID: String?
    public var source: Source

    public init(uniqueID: String?, source: Source) {
        self.uniqueID = uniqueID
        self.source = source
    }
}

/// A kbdif backend process: serves every vkbd frontend of this domain and
/// sends each of them the events of its input source (one source for all, or
/// one per vkb `unique-id`). Add it to the process's `PollLoop`; it polls
/// xenstore, the event channels and the input devices.
public final class KbdIfBackend<Platform: XenPlatform, Source: InputEventSource>: ServedBackend {
    public let backend: XenBackend<KbdDeviceFactory<Platform>>
    public let sources: [KbdSourceBinding<Source>]
    private let log: XenLog
    private var input: [InputEvent] = []
    private var failed: [Bool]

    /// The first source (the only one of a single-device backend).
    public var source: Source { sources[0].source }
    /// True once the first input source failed for good (its fd is then not polled).
    public var sourceFailed: Bool { failed[0] }

    /// `deviceType` is the folder under `backend/` to serve: `KbdIfWire.linuxBackendType`
    /// for devices xl creates with backend-type=linux.
    public convenience init(platform: Platform, source: Source, options: KbdIfOptions, log: XenLog,
                            deviceType: String = KbdIfWire.deviceType) {
        self.init(platform: platform, sources: [KbdSourceBinding(uniqueID: nil, source: source)], options: options,
                  log: log, deviceType: deviceType)
    }

    /// A backend with several sources; `sources` must not be empty.
    public init(platform: Platform, sources: [KbdSourceBinding<Source>], options: KbdIfOptions, log: XenLog,
                deviceType: String = KbdIfWire.deviceType) {
        precondition(!sources.isEmpty, "kbdif: a backend needs an input source")
        self.sources = sources
        self.log = log
        self.failed = [Bool](repeating: false, count: sources.count)
        let factory = KbdDeviceFactory<Platform>(options: options, capabilities: sources[0].source.capabilities,
                                                 log: log, deviceType: deviceType)
        factory.sourceChoices = sources.map { KbdDeviceFactory<Platform>.SourceChoice(uniqueID: $0.uniqueID,
                                                                                     capabilities: $0.source.capabilities) }
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
        for (index, binding) in sources.enumerated() where binding.source.fd >= 0 && !failed[index] {
            descriptors.append(binding.source.fd)
        }
    }

    public var hasDeferredWork: Bool { backend.hasDeferredWork }
    public func runDeferredWork() { backend.runDeferredWork() }

    public func handleReady(_ fd: Int32) {
        for (index, binding) in sources.enumerated() where binding.source.fd == fd && fd >= 0 && !failed[index] {
            pumpInput(index)
            return
        }
        backend.handleReady(fd)
    }

    /// Reads what the first source has and hands it to its connected frontends.
    public func pumpInput() { pumpInput(0) }

    /// Reads what source `index` has and hands it to the connected frontends it feeds.
    public func pumpInput(_ index: Int) {
        input.removeAll(keepingCapacity: true)
        do {
            try sources[index].source.readEvents(into: &input)
        } catch {
            log.write("kbdif: \(error.description)")
            if case .deviceGone = error { failed[index] = true }
            if case .readFailed = error { failed[index] = true }
        }
        guard !input.isEmpty else { return }
        // Bindings may share one device (the same fd): feed every frontend of that device.
        let fd = sources[index].source.fd
        for device in devices where device.isConnected && device.sourceIndex >= 0 && device.sourceIndex < sources.count
            && (device.sourceIndex == index || (fd >= 0 && sources[device.sourceIndex].source.fd == fd)) {
            do { try device.deliver(input) } catch { backend.closeFrontend(device.link, because: error) }
        }
    }
}
