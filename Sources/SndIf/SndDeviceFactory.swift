// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Makes a `SndDevice` for each vsnd frontend (the `XenBackend` owns them).
public final class SndDeviceFactory<Platform: XenPlatform, Provider: PCMDeviceProvider>: XenDeviceFactory {
    public let provider: Provider
    /// Which guest's streams go to which PCM (shared with every device).
    public let table: BindingTable
    private let log: XenLog

    public init(provider: Provider, bindings: GuestBindings, log: XenLog) {
        self.provider = provider
        self.table = BindingTable(bindings)
        self.log = log
    }

    public var deviceType: String { SndIfWire.deviceType }

    public func makeDevice(_ link: XenbusLink<Platform>) -> SndDevice<Platform, Provider> {
        SndDevice(link: link, provider: provider, table: table, log: log)
    }
}
