// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Makes `RecordingPCMDevice`s and keeps them by stream `unique-id`, so a test
/// can reach the device behind each stream.
public final class RecordingPCMProvider: PCMDeviceProvider {
    /// The latest device of each stream `unique-id`.
    public private(set) var devices: [String: RecordingPCMDevice] = [:]
    /// Every device made, in order (a reconnect makes new ones).
    public private(set) var history: [RecordingPCMDevice] = []
    /// Streams with these ids get no device (`.streamUnbound`).
    public var unbound: Set<String> = []
    /// Applied to each new device.
    public var configure: (RecordingPCMDevice) -> Void

    public init(configure: @escaping (RecordingPCMDevice) -> Void = { _ in }) { self.configure = configure }

    public func makeDevice(uniqueID: String, direction: PCMDirection) throws(SndIfError) -> RecordingPCMDevice {
        if unbound.contains(uniqueID) { throw .streamUnbound(uniqueID: uniqueID, direction: direction) }
        let device = RecordingPCMDevice(name: "recording:" + uniqueID, direction: direction)
        configure(device)
        devices[uniqueID] = device
        history.append(device)
        return device
    }
}
