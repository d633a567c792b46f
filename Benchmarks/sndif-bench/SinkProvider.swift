// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf

/// Gives every stream the one sink.
final class SinkProvider: PCMDeviceProvider {
    let sink = SinkPCMDevice()
    func makeDevice(name: String, direction: PCMDirection) throws(SndIfError) -> SinkPCMDevice { sink }
}
