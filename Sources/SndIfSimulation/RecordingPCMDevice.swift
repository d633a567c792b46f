// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import SndIf

/// A PCM device for tests: records every call and every byte written, plays
/// scripted capture data, fails the next calls of an operation on request,
/// and moves its "hardware" position only when the test calls `advance`, so
/// scenario tests decide exactly when periods elapse. Its `fd` is a pipe that
/// is readable after `advance` until the backend calls `service()`.
package final class RecordingPCMDevice: PCMDevice {
    /// Operations whose next calls can be made to fail.
    package enum Operation: Hashable, Sendable {
        case query, open, write, read, start, pause, resume, stop, position, volume
    }

    package let name: String
    package let direction: PCMDirection
    /// What the device supports (answers `queryRanges` narrowed by the request).
    package var supported: PCMRanges
    /// Frames the device can hold; 0 means the buffer size given at open.
    package var capacityFrames: Int = 0
    /// Playback: consume written frames at once (a sink that is always ready).
    package var consumeOnWrite = false
    /// When non-zero, `open` rounds the period up to a multiple of it (the
    /// negotiated period differs from the one asked for).
    package var periodGranularity: UInt32 = 0
    /// Every call, in order (`open`, `start`, `write 4096`, …).
    package private(set) var calls: [String] = []
    /// Every byte accepted by `write` since creation.
    package private(set) var written: [UInt8] = []
    /// The longest range ever passed to `write` or `read`, in bytes.
    package private(set) var largestTransfer = 0
    /// Bytes `read` hands out, in order; silence once exhausted.
    package var captureScript: [UInt8] = []
    private var captureOffset = 0
    package private(set) var params: PCMParams?
    package private(set) var isRunning = false
    package private(set) var isPaused = false
    package private(set) var levels: [Int32] = []
    package private(set) var muted: [Bool] = []
    private var played: UInt64 = 0
    private var queued = 0
    private var captured = 0
    private var failures: [Operation: [Int32]] = [:]
    private let readFD: Int32
    private let writeFD: Int32
    private var ready = false

    package init(name: String, direction: PCMDirection, supported: PCMRanges = RecordingPCMDevice.typical) {
        self.name = name
        self.direction = direction
        self.supported = supported
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { clinux_pipe_nonblocking($0.baseAddress) }
        precondition(result == 0, "pipe failed")
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        CLinux.close(readFD)
        CLinux.close(writeFD)
    }

    /// S16_LE/S32_LE, 8–192 kHz, 1–8 channels, 64–65536 frame buffers.
    package static let typical = PCMRanges(
        formats: PCMFormat.s16LE.maskBit | PCMFormat.s32LE.maskBit, rates: PCMInterval(min: 8000, max: 192_000),
        channels: PCMInterval(min: 1, max: 8), bufferFrames: PCMInterval(min: 64, max: 65536),
        periodFrames: PCMInterval(min: 16, max: 32768))

    /// The next call of `operation` fails with `errno`.
    package func failNext(_ operation: Operation, errno: Int32) { failures[operation, default: []].append(errno) }

    private func failure(_ operation: Operation) -> Int32? {
        guard var list = failures[operation], !list.isEmpty else { return nil }
        let code = list.removeFirst()
        failures[operation] = list
        return code
    }

    /// The hardware moves `frames` forward (plays queued frames or captures
    /// new ones) if running and not paused; the fd becomes readable.
    package func advance(frames: Int) {
        guard isRunning, !isPaused, frames > 0 else { return }
        if direction == .playback {
            let step = min(frames, queued)
            queued -= step
            played += UInt64(step)
        } else {
            captured += frames
            played += UInt64(frames)
        }
        setReady(true)
    }

    private func setReady(_ value: Bool) {
        guard value != ready else { return }
        ready = value
        var byte: UInt8 = 1
        if value { _ = CLinux.write(writeFD, &byte, 1) } else { _ = CLinux.read(readFD, &byte, 1) }
    }

    private var capacity: Int { capacityFrames > 0 ? capacityFrames : Int(params?.bufferFrames ?? 0) }

    package var fd: Int32 { readFD }
    package func service() { setReady(false) }

    package func queryRanges(_ wanted: PCMRanges) throws(SndIfError) -> PCMRanges {
        calls.append("query")
        if let code = failure(.query) { throw .pcmQueryFailed(device: name, errno: code) }
        return supported.intersection(wanted)
    }

    @discardableResult
    package func open(_ params: PCMParams) throws(SndIfError) -> PCMParams {
        calls.append("open \(params.format.description) \(params.rate) \(params.channels) \(params.bufferFrames) \(params.periodFrames)")
        if let code = failure(.open) { throw .pcmOpenFailed(device: name, errno: code) }
        guard supported.formats & params.format.maskBit != 0, supported.rates.contains(params.rate),
              supported.channels.contains(params.channels) else {
            throw .paramsUnsupported(reason: "\(name) cannot play \(params.format.description) at \(params.rate) Hz")
        }
        var negotiated = params
        if periodGranularity > 0 {  // like hardware that only takes whole multiples of a period size
            negotiated.periodFrames = (params.periodFrames + periodGranularity - 1) / periodGranularity * periodGranularity
        }
        self.params = negotiated
        played = 0
        queued = 0
        captured = 0
        isRunning = false
        isPaused = false
        return negotiated
    }

    package func close() {
        calls.append("close")
        params = nil
        isRunning = false
        isPaused = false
        setReady(false)
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws(SndIfError) -> Int {
        largestTransfer = max(largestTransfer, bytes.count)
        if let code = failure(.write) { throw .pcmIOFailed(device: name, errno: code) }
        guard let params else { throw .pcmIOFailed(device: name, errno: 77) }
        let frameBytes = params.frameBytes
        let frames = consumeOnWrite ? bytes.count / frameBytes : min(bytes.count / frameBytes, capacity - queued)
        let count = frames * frameBytes
        calls.append("write \(count)")
        written.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
        if consumeOnWrite && isRunning && !isPaused {
            played += UInt64(frames)
            setReady(true)
        } else {
            queued += frames
        }
        return count
    }

    package func read(into bytes: UnsafeMutableRawBufferPointer) throws(SndIfError) -> Int {
        largestTransfer = max(largestTransfer, bytes.count)
        if let code = failure(.read) { throw .pcmIOFailed(device: name, errno: code) }
        guard let params else { throw .pcmIOFailed(device: name, errno: 77) }
        let frames = min(bytes.count / params.frameBytes, captured)
        let count = frames * params.frameBytes
        for index in 0..<count {
            bytes[index] = captureOffset < captureScript.count ? captureScript[captureOffset] : 0
            captureOffset += 1
        }
        captured -= frames
        calls.append("read \(count)")
        return count
    }

    package func start() throws(SndIfError) {
        calls.append("start")
        if let code = failure(.start) { throw .pcmTriggerFailed(device: name, action: "start", errno: code) }
        isRunning = true
        if consumeOnWrite && direction == .playback {
            played += UInt64(queued)
            queued = 0
        }
    }

    package func pause() throws(SndIfError) {
        calls.append("pause")
        if let code = failure(.pause) { throw .pcmTriggerFailed(device: name, action: "pause", errno: code) }
        isPaused = true
    }

    package func resume() throws(SndIfError) {
        calls.append("resume")
        if let code = failure(.resume) { throw .pcmTriggerFailed(device: name, action: "resume", errno: code) }
        isPaused = false
    }

    package func stop() throws(SndIfError) {
        calls.append("stop")
        if let code = failure(.stop) { throw .pcmTriggerFailed(device: name, action: "stop", errno: code) }
        isRunning = false
        isPaused = false
        played = 0
        queued = 0
        captured = 0
    }

    package func position() throws(SndIfError) -> UInt64 {
        if let code = failure(.position) { throw .pcmIOFailed(device: name, errno: code) }
        return played
    }

    package func delay() throws(SndIfError) -> Int { direction == .playback ? queued : captured }

    package func setVolume(_ levels: [Int32]) throws(SndIfError) {
        calls.append("volume \(levels)")
        if let code = failure(.volume) { throw .volumeFailed(device: name, errno: code) }
        // The same limit as the ALSA device's software gain.
        if let loud = levels.first(where: { $0 > SoftwareGain.maximumLevel }) {
            throw .volumeOutOfRange(level: loud, maximum: SoftwareGain.maximumLevel)
        }
        self.levels = levels
    }

    package func volume(channels: Int) throws(SndIfError) -> [Int32] {
        calls.append("get-volume")
        if let code = failure(.volume) { throw .volumeFailed(device: name, errno: code) }
        var result = levels
        while result.count < channels { result.append(0) }
        return result
    }

    package func setMute(_ channels: [Bool], muted: Bool) throws(SndIfError) {
        calls.append((muted ? "mute " : "unmute ") + "\(channels)")
        if let code = failure(.volume) { throw .volumeFailed(device: name, errno: code) }
        while self.muted.count < channels.count { self.muted.append(false) }
        for (index, selected) in channels.enumerated() where selected { self.muted[index] = muted }
    }
}
