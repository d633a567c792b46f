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

    public func makeDevice(_ link: XenbusLink<Platform>) -> KbdDevice<Platform> {
        KbdDevice(link: link, options: options, capabilities: capabilities, log: log)
    }
}
