// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Makes a `NullPCMDevice` for every stream.
public final class NullPCMProvider: PCMDeviceProvider {
    public init() {}
    public func makeDevice(name: String, direction: PCMDirection) throws(SndIfError) -> NullPCMDevice {
        NullPCMDevice(name: "null:" + name, direction: direction)
    }
}
