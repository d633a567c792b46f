// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A PCM device with no hardware: playback bytes are dropped as soon as they
/// are written, capture gives silence, and the position follows what was
/// moved while running. It has no fd and no volume control.
public final class NullPCMDevice: PCMDevice {
    public let name: String
    public let direction: PCMDirection
    private var params: PCMParams?
    private var running = false
    private var paused = false
    private var frames: UInt64 = 0

    public init(name: String = "null", direction: PCMDirection) {
        self.name = name
        self.direction = direction
    }

    public var fd: Int32 { -1 }
    public func service() {}
    public func queryRanges(_ wanted: PCMRanges) throws(SndIfError) -> PCMRanges { wanted }
    @discardableResult
    public func open(_ params: PCMParams) throws(SndIfError) -> PCMParams {
        self.params = params
        frames = 0
        return params
    }
    public func close() {
        params = nil
        running = false
    }
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SndIfError) -> Int { move(bytes.count) }
    public func read(into bytes: UnsafeMutableRawBufferPointer) throws(SndIfError) -> Int {
        let count = move(bytes.count)
        for index in 0..<count { bytes[index] = 0 }
        return count
    }
    private func move(_ count: Int) -> Int {
        guard let params else { return 0 }
        let whole = count / params.frameBytes
        if running && !paused { frames += UInt64(whole) }
        return whole * params.frameBytes
    }
    public func start() throws(SndIfError) { running = true }
    public func pause() throws(SndIfError) { paused = true }
    public func resume() throws(SndIfError) { paused = false }
    public func stop() throws(SndIfError) {
        running = false
        paused = false
        frames = 0
    }
    public func position() throws(SndIfError) -> UInt64 { frames }
    public func delay() throws(SndIfError) -> Int { 0 }
    public func setVolume(_ levels: [Int32]) throws(SndIfError) { throw .volumeUnsupported(device: name) }
    public func volume(channels: Int) throws(SndIfError) -> [Int32] { throw .volumeUnsupported(device: name) }
    public func setMute(_ channels: [Bool], muted: Bool) throws(SndIfError) { throw .volumeUnsupported(device: name) }
}
