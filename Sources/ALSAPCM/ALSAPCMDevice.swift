// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CALSA
import CLinux
import SndIf

/// The real `PCMDevice`: one ALSA PCM (`snd_pcm_open` with `SND_PCM_NONBLOCK`),
/// opened only while the frontend needs it (from the first HW_PARAM_QUERY or
/// OPEN to CLOSE), so guests can take turns on an exclusive `hw:` PCM, and
/// configured at each OPEN
/// (hw params: interleaved access, format, channels, exact rate, buffer and
/// period near the frontend's; sw params: no automatic start, wake-up at one
/// period). Writes and reads never block; an xrun is recovered with
/// `snd_pcm_recover` and the stream restarted if it was running. If the
/// device's buffer came out smaller than the frontend's and fills before the
/// frontend's TRIGGER start, the PCM starts early rather than leave the
/// frontend's WRITE waiting on a stream nobody starts.
///
/// Its `fd` is a timerfd armed at the period length while running, so the
/// backend's poll loop (which waits for POLLIN) checks the position once per
/// period; the position is frames written minus `snd_pcm_delay` (playback) or
/// frames read plus `snd_pcm_avail` (capture).
public final class ALSAPCMDevice: PCMDevice {
    public let name: String
    public let direction: PCMDirection
    /// The open PCM, nil while the stream is closed.
    private var handle: OpaquePointer?
    private let timer: Int32
    var params: PCMParams?
    private var running = false
    private var paused = false
    /// The PCM was started because its buffer filled before TRIGGER start.
    private var startedEarly = false
    private var framesMoved: UInt64 = 0
    private var lastPosition: UInt64 = 0
    /// xruns recovered since creation.
    public private(set) var xrunsRecovered = 0
    /// Volume and mute, applied to the samples (ALSA PCMs carry no control of their own).
    public private(set) var gain = SoftwareGain()
    /// Scaled copy of a WRITE's frames: the guest's shared buffer is never written on playback.
    private var scaled: UnsafeMutableRawPointer?
    private var scaledCapacity = 0

    /// A device for the ALSA PCM `name` (e.g. `hw:0,0`, `plughw:Loopback,0`)
    /// and `direction`; the PCM itself is opened when first needed.
    public init(name: String, direction: PCMDirection) throws(SndIfError) {
        self.name = name
        self.direction = direction
        let timer = calsa_timer_create()
        guard timer >= 0 else { throw .pcmOpenFailed(device: name, errno: clinux_errno()) }
        self.timer = timer
    }

    deinit {
        if let handle { snd_pcm_close(handle) }
        scaled?.deallocate()
        CLinux.close(timer)
    }

    /// The open PCM, opening it if needed.
    func acquire() throws(SndIfError) -> OpaquePointer {
        if let handle { return handle }
        var opened: OpaquePointer?
        let stream = direction == .playback ? SND_PCM_STREAM_PLAYBACK : SND_PCM_STREAM_CAPTURE
        let result = snd_pcm_open(&opened, name, stream, calsa_nonblock())
        guard result >= 0, let opened else { throw .pcmOpenFailed(device: name, errno: -result) }
        handle = opened
        return opened
    }

    /// The PCM of an open stream.
    private func current(_ action: String) throws(SndIfError) -> OpaquePointer {
        guard let handle else { throw .pcmTriggerFailed(device: name, action: action, errno: 77) }  // EBADFD
        return handle
    }

    public var fd: Int32 { timer }

    public func service() { _ = calsa_timer_drain(timer) }

    @discardableResult
    public func open(_ params: PCMParams) throws(SndIfError) -> PCMParams {
        let pcm = try acquire()
        snd_pcm_drop(pcm)
        let negotiated = try configure(params)
        self.params = negotiated
        // Levels and mutes stay across CLOSE/OPEN unless the channel count changes.
        if gain.levels.count != Int(params.channels) { gain = SoftwareGain(channels: Int(params.channels)) }
        running = false
        paused = false
        startedEarly = false
        framesMoved = 0
        lastPosition = 0
        return negotiated
    }

    public func close() {
        if let handle {
            snd_pcm_drop(handle)
            snd_pcm_close(handle)
        }
        handle = nil
        arm(false)
        params = nil
        running = false
        paused = false
        startedEarly = false
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(SndIfError) -> Int {
        guard let params, let pcm = handle, var base = bytes.baseAddress else { throw .pcmIOFailed(device: name, errno: 77) }
        let frames = bytes.count / params.frameBytes
        guard frames > 0 else { return 0 }
        if !gain.isUnity {
            let count = frames * params.frameBytes
            if scaledCapacity < count {
                scaled?.deallocate()
                scaled = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 16)
                scaledCapacity = count
            }
            let copy = scaled!
            copy.copyMemory(from: base, byteCount: count)
            gain.apply(to: UnsafeMutableRawBufferPointer(start: copy, count: count), format: params.format)
            base = UnsafeRawPointer(copy)
        }
        var result = snd_pcm_writei(pcm, base, snd_pcm_uframes_t(frames))
        if result < 0 && result != -Int(EAGAIN) {
            try recover(Int32(result))
            result = snd_pcm_writei(pcm, base, snd_pcm_uframes_t(frames))
            if running && !paused && result > 0 { snd_pcm_start(pcm) }
        }
        if result == -Int(EAGAIN) { result = 0 }
        guard result >= 0 else { throw .pcmIOFailed(device: name, errno: Int32(-result)) }
        if result < frames && !running && !startedEarly && snd_pcm_start(pcm) >= 0 {
            startedEarly = true
            arm(true)  // retry the rest of the WRITE as the device drains
        }
        framesMoved += UInt64(result)
        return result * params.frameBytes
    }

    public func read(into bytes: UnsafeMutableRawBufferPointer) throws(SndIfError) -> Int {
        guard let params, let pcm = handle, let base = bytes.baseAddress else { throw .pcmIOFailed(device: name, errno: 77) }
        let frames = bytes.count / params.frameBytes
        guard frames > 0 else { return 0 }
        var result = snd_pcm_readi(pcm, base, snd_pcm_uframes_t(frames))
        if result < 0 && result != -Int(EAGAIN) {
            try recover(Int32(result))
            if running && !paused { snd_pcm_start(pcm) }
            result = snd_pcm_readi(pcm, base, snd_pcm_uframes_t(frames))
        }
        if result == -Int(EAGAIN) { return 0 }
        guard result >= 0 else { throw .pcmIOFailed(device: name, errno: Int32(-result)) }
        framesMoved += UInt64(result)
        if !gain.isUnity {
            gain.apply(to: UnsafeMutableRawBufferPointer(start: base, count: result * params.frameBytes), format: params.format)
        }
        return result * params.frameBytes
    }

    /// `snd_pcm_recover` after an xrun or suspend; throws if it cannot.
    private func recover(_ error: Int32) throws(SndIfError) {
        guard let pcm = handle else { throw .pcmIOFailed(device: name, errno: -error) }
        let result = snd_pcm_recover(pcm, error, 1)
        guard result >= 0 else { throw .pcmIOFailed(device: name, errno: -error) }
        xrunsRecovered += 1
    }

    public func start() throws(SndIfError) {
        let pcm = try current("start")
        let result = startedEarly ? 0 : snd_pcm_start(pcm)
        startedEarly = false
        // Starting playback with nothing queued is an immediate underrun: recover and wait for data.
        if result < 0 && !(direction == .playback && result == -EPIPE) {
            throw .pcmTriggerFailed(device: name, action: "start", errno: -result)
        }
        running = true
        paused = false
        arm(true)
    }

    public func pause() throws(SndIfError) {
        let pcm = try current("pause")
        let result = snd_pcm_pause(pcm, 1)
        guard result >= 0 else { throw .pcmTriggerFailed(device: name, action: "pause", errno: -result) }
        paused = true
        arm(false)
    }

    public func resume() throws(SndIfError) {
        let pcm = try current("resume")
        let result = snd_pcm_pause(pcm, 0)
        guard result >= 0 else { throw .pcmTriggerFailed(device: name, action: "resume", errno: -result) }
        paused = false
        arm(true)
    }

    public func stop() throws(SndIfError) {
        let pcm = try current("stop")
        arm(false)
        snd_pcm_drop(pcm)
        let result = snd_pcm_prepare(pcm)
        running = false
        paused = false
        startedEarly = false
        framesMoved = 0
        lastPosition = 0
        guard result >= 0 else { throw .pcmTriggerFailed(device: name, action: "stop", errno: -result) }
    }

    public func position() throws(SndIfError) -> UInt64 {
        let pending = try delay()
        var now = framesMoved
        if direction == .playback {
            now = pending >= 0 && UInt64(pending) <= framesMoved ? framesMoved - UInt64(pending) : lastPosition
        } else {
            now = framesMoved + UInt64(max(0, pending))
        }
        if now > lastPosition { lastPosition = now }
        return lastPosition
    }

    public func delay() throws(SndIfError) -> Int {
        guard let pcm = handle else { return 0 }
        if direction == .capture {
            let available = snd_pcm_avail(pcm)
            return available >= 0 ? Int(available) : 0
        }
        var frames: snd_pcm_sframes_t = 0
        let result = snd_pcm_delay(pcm, &frames)
        if result == -EPIPE { return 0 }  // underrun: everything queued was played
        guard result >= 0 else { throw .pcmQueryFailed(device: name, errno: -result) }
        return Int(frames)
    }

    /// Software volume of the open stream (see `SoftwareGain`).
    public func setVolume(_ levels: [Int32]) throws(SndIfError) {
        try checkGainApplies()
        if let loud = gain.setLevels(levels) { throw .volumeOutOfRange(level: loud, maximum: SoftwareGain.maximumLevel) }
    }

    public func volume(channels: Int) throws(SndIfError) -> [Int32] {
        try checkGainApplies()
        return gain.levels
    }

    public func setMute(_ channels: [Bool], muted: Bool) throws(SndIfError) {
        try checkGainApplies()
        gain.setMute(channels, muted: muted)
    }

    private func checkGainApplies() throws(SndIfError) {
        guard let params, SoftwareGain.supports(params.format) else { throw .volumeUnsupported(device: name) }
        if gain.levels.count != Int(params.channels) { gain = SoftwareGain(channels: Int(params.channels)) }
    }

    /// Arms the period timer (running) or disarms it.
    private func arm(_ on: Bool) {
        guard on, let params, params.rate > 0 else {
            _ = calsa_timer_set(timer, 0)
            return
        }
        // The period ALSA negotiated, never under 1 ms: a guest cannot pick the wake-up rate.
        let frames = max(UInt64(params.periodFrames), (UInt64(params.rate) + 999) / 1000)
        _ = calsa_timer_set(timer, frames * 1_000_000_000 / UInt64(params.rate))
    }
}
