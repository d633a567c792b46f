// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Makes a `KbdDevice` for each vkbd frontend (the `XenBackend` owns them).
public final class KbdDeviceFactory<Platform: XenPlatform>: XenDeviceFactory {
    public let options: KbdIfOptions
    public let capabilities: InputCapabilities
    private let log: XenLog

    /// The folder under `backend/` it serves (`vkbd`, or `vinput` for libxl's backend-type=linux).
    public let deviceType: String

    public init(options: KbdIfOptions, capabilities: InputCapabilities, log: XenLog,
                deviceType: String = KbdIfWire.deviceType) {
        self.options = options
        self.capabilities = capabilities
        self.log = log
        self.deviceType = deviceType
    }

    /// A source a frontend may be fed from: by vkb `unique-id`, or the default (nil).
    public struct SourceChoice {
        public var uniqueID: String?
        public var capabilities: InputCapabilities
        public init(uniqueID: String?, capabilities: InputCapabilities) {
            self.uniqueID = uniqueID
            self.capabilities = capabilities
        }
    }

    /// The sources, in the backend's order; empty means one default source with `capabilities`.
    public var sourceChoices: [SourceChoice] = []

    /// The source index for a frontend whose backend node `unique-id` is `uniqueID`:
    /// the source bound to that id, else the default source, else nil (not served).
    public func sourceIndex(forUniqueID uniqueID: String?) -> Int? {
        guard !sourceChoices.isEmpty else { return 0 }
        if let uniqueID, let index = sourceChoices.firstIndex(where: { $0.uniqueID?.bytesEqual(uniqueID) == true }) {
            return index
        }
        return sourceChoices.firstIndex { $0.uniqueID == nil }
    }

    public func makeDevice(_ link: XenbusLink<Platform>) -> KbdDevice<Platform> {
        // libxl writes the vkb's unique-id into the backend directory; the backend's own node is trusted.
        let uniqueID = try? link.platform.store.read(XenPath.join(link.backendPath, KbdIfWire.uniqueID))
        let index = sourceIndex(forUniqueID: uniqueID)
        let chosen = index.flatMap { sourceChoices.isEmpty ? nil : sourceChoices[$0].capabilities } ?? capabilities
        let device = KbdDevice(link: link, options: options, capabilities: chosen, log: log)
        device.sourceIndex = index ?? -1
        if index == nil {
            log.write("kbdif: \(link.backendPath): no input device is bound to unique-id \(uniqueID ?? "(none)"); it gets no events")
        }
        return device
    }
}
