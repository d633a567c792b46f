// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A host PCM device one sndif stream is bound to: the seam between the
/// protocol and ALSA (`ALSAPCMDevice`), tests (`RecordingPCMDevice` in
/// SndIfSimulation) and nothing (`NullPCMDevice`). Every call returns at once
/// (non-blocking); the backend's poll loop watches `fd` and calls `service()`
/// when it is readable.
///
/// Lifecycle: `open(params)` (prepared) → `start` → running ⇄ `pause`/`resume`;
/// `stop` goes back to prepared and resets `position` to 0; `close` ends it.
public protocol PCMDevice: AnyObject {
    /// Name for log lines (e.g. the ALSA PCM name).
    var name: String { get }
    /// Which way samples move.
    var direction: PCMDirection { get }
    /// Readable when the device's position may have advanced or I/O became
    /// possible; -1 if the device has nothing to poll right now.
    var fd: Int32 { get }
    /// Clears the readiness of `fd` (called by the backend when it was readable).
    func service()
    /// The configuration space allowed by the device, narrowed by `wanted`.
    func queryRanges(_ wanted: PCMRanges) throws(SndIfError) -> PCMRanges
    /// Configures and prepares the device; returns what it negotiated (the
    /// buffer and period the hardware took), which drive the stream's timers.
    func open(_ params: PCMParams) throws(SndIfError) -> PCMParams
    /// Releases the configuration (no more I/O until the next `open`).
    func close()
    /// Queues playback bytes (whole frames); returns how many were accepted, maybe 0.
    func write(_ bytes: UnsafeRawBufferPointer) throws(SndIfError) -> Int
    /// Takes captured bytes (whole frames); returns how many were read, maybe 0.
    func read(into bytes: UnsafeMutableRawBufferPointer) throws(SndIfError) -> Int
    func start() throws(SndIfError)
    func pause() throws(SndIfError)
    func resume() throws(SndIfError)
    /// Stops at once, dropping queued samples, and prepares again.
    func stop() throws(SndIfError)
    /// Frames played (playback) or captured (capture) since `open` or `stop`.
    func position() throws(SndIfError) -> UInt64
    /// Frames between the application and the hardware (queued or captured, unread).
    func delay() throws(SndIfError) -> Int
    /// Sets per-channel volume (sndif: signed 32-bit per channel).
    func setVolume(_ levels: [Int32]) throws(SndIfError)
    /// Per-channel volume.
    func volume(channels: Int) throws(SndIfError) -> [Int32]
    /// Mutes (true) or unmutes each channel given.
    func setMute(_ channels: [Bool], muted: Bool) throws(SndIfError)
}

/// Opens the host PCM device a stream is bound to. Which device serves which
/// stream is decided before, by the backend's `GuestBindings` (the image config).
public protocol PCMDeviceProvider: AnyObject {
    associatedtype Device: PCMDevice
    /// The host device `name` (an ALSA PCM name), for one direction.
    func makeDevice(name: String, direction: PCMDirection) throws(SndIfError) -> Device
}
