// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf

/// Binds sndif streams to ALSA PCMs as the image config says: each stream's
/// `unique-id` to a PCM name, with one default per direction for streams not
/// named. The binding is given to the backend as arguments, never read from
/// the frontend.
public final class ALSAPCMProvider: PCMDeviceProvider {
    /// `unique-id` → ALSA PCM name.
    public let bindings: [String: String]
    public let defaultPlayback: String?
    public let defaultCapture: String?

    public init(bindings: [String: String], defaultPlayback: String?, defaultCapture: String?) {
        self.bindings = bindings
        self.defaultPlayback = defaultPlayback
        self.defaultCapture = defaultCapture
    }

    /// The PCM name bound to a stream, if any.
    public func pcmName(uniqueID: String, direction: PCMDirection) -> String? {
        bindings[uniqueID] ?? (direction == .playback ? defaultPlayback : defaultCapture)
    }

    public func makeDevice(uniqueID: String, direction: PCMDirection) throws(SndIfError) -> ALSAPCMDevice {
        guard let name = pcmName(uniqueID: uniqueID, direction: direction) else {
            throw .streamUnbound(uniqueID: uniqueID, direction: direction)
        }
        return try ALSAPCMDevice(name: name, direction: direction)
    }
}
