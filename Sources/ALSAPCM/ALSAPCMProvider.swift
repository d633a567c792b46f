// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf

/// Opens the ALSA PCM a stream is bound to (the backend's `GuestBindings`,
/// from the image config, chose it; nothing here comes from the frontend).
public final class ALSAPCMProvider: PCMDeviceProvider {
    public init() {}

    public func makeDevice(name: String, direction: PCMDirection) throws(SndIfError) -> ALSAPCMDevice {
        try ALSAPCMDevice(name: name, direction: direction)
    }
}
