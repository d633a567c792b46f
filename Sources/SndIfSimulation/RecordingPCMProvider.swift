// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf

/// Makes `RecordingPCMDevice`s and keeps them by device name, so a test can
/// reach the device behind each stream (scenarios bind a stream to a device
/// named like its `unique-id`).
package final class RecordingPCMProvider: PCMDeviceProvider {
    /// The latest device of each name.
    package private(set) var devices: [String: RecordingPCMDevice] = [:]
    /// Every device made, in order (a reconnect makes new ones).
    package private(set) var history: [RecordingPCMDevice] = []
    /// Devices with these names fail to open.
    package var failing: Set<String> = []
    /// Applied to each new device.
    package var configure: (RecordingPCMDevice) -> Void

    package init(configure: @escaping (RecordingPCMDevice) -> Void = { _ in }) { self.configure = configure }

    package func makeDevice(name: String, direction: PCMDirection) throws(SndIfError) -> RecordingPCMDevice {
        if failing.contains(name) { throw .pcmOpenFailed(device: name, errno: 19) }
        let device = RecordingPCMDevice(name: "recording:" + name, direction: direction)
        configure(device)
        devices[name] = device
        history.append(device)
        return device
    }
}
