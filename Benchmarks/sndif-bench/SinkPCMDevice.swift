// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import SndIf

/// A playback device for the benchmark that does what an ALSA write does to
/// the bytes: copies them into its own ring buffer, and plays at once.
final class SinkPCMDevice: PCMDevice {
    let name = "bench-sink"
    let direction = PCMDirection.playback
    /// The device's ring buffer: 1 MiB, page-aligned as an ALSA (DMA) buffer is.
    let storage = pageAlignedBytes(1 << 20)
    /// Where the next write goes in `storage`.
    private(set) var offset = 0
    private var frameBytes = 4
    private var frames: UInt64 = 0
    private(set) var bytesCopied = 0

    var fd: Int32 { -1 }
    func service() {}
    func queryRanges(_ wanted: PCMRanges) throws(SndIfError) -> PCMRanges { wanted }
    func open(_ params: PCMParams) throws(SndIfError) -> PCMParams {
        frameBytes = params.frameBytes
        return params
    }
    func close() {}
    func write(_ bytes: UnsafeRawBufferPointer) throws(SndIfError) -> Int {
        SinkPCMDevice.copy(bytes, into: storage, at: &offset)
        bytesCopied += bytes.count
        frames += UInt64(bytes.count / frameBytes)
        return bytes.count
    }
    /// Copies into a ring buffer (wrapping), as an ALSA ring buffer write does.
    static func copy(_ bytes: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        var done = 0
        while done < bytes.count {
            let count = min(bytes.count - done, destination.count - offset)
            memcpy(destination.baseAddress! + offset, bytes.baseAddress! + done, count)
            done += count
            offset = (offset + count) % destination.count
        }
    }
    func read(into bytes: UnsafeMutableRawBufferPointer) throws(SndIfError) -> Int { 0 }
    func start() throws(SndIfError) {}
    func pause() throws(SndIfError) {}
    func resume() throws(SndIfError) {}
    func stop() throws(SndIfError) { frames = 0 }
    func position() throws(SndIfError) -> UInt64 { frames }
    func delay() throws(SndIfError) -> Int { 0 }
    func setVolume(_ levels: [Int32]) throws(SndIfError) {}
    func volume(channels: Int) throws(SndIfError) -> [Int32] { [Int32](repeating: 0, count: channels) }
    func setMute(_ channels: [Bool], muted: Bool) throws(SndIfError) {}
}

/// `count` zeroed bytes at a page boundary (never freed: the benchmark's buffers
/// live as long as the process). Both copies in the benchmark go between
/// page-aligned buffers, as the shared buffer and a device ring are, so their
/// relative alignment (which memcpy's speed depends on) is the same.
func pageAlignedBytes(_ count: Int) -> UnsafeMutableRawBufferPointer {
    let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 4096)
    bytes.initializeMemory(as: UInt8.self, repeating: 0)
    return bytes
}
