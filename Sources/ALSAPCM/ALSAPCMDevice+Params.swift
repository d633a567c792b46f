// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CALSA
import SndIf

extension ALSAPCMDevice {
    /// Formats sndif and ALSA number alike (`XENSND_PCM_FORMAT_*` equals
    /// `SND_PCM_FORMAT_*` for codes 0…24).
    static let formatCount: UInt8 = 25

    /// Asks ALSA which configurations remain once `wanted` is applied
    /// (`snd_pcm_hw_params_any` + `set_*_minmax`, then `get_*_min/max`).
    public func queryRanges(_ wanted: PCMRanges) throws(SndIfError) -> PCMRanges {
        let pcm = try acquire()
        var hw: OpaquePointer?
        var mask: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&hw) >= 0, let hw else { throw .pcmQueryFailed(device: name, errno: 12) }
        defer { snd_pcm_hw_params_free(hw) }
        guard snd_pcm_format_mask_malloc(&mask) >= 0, let mask else { throw .pcmQueryFailed(device: name, errno: 12) }
        defer { snd_pcm_format_mask_free(mask) }
        var result = snd_pcm_hw_params_any(pcm, hw)
        guard result >= 0 else { throw .pcmQueryFailed(device: name, errno: -result) }
        snd_pcm_format_mask_none(mask)
        for code in 0..<Self.formatCount where wanted.formats & (UInt64(1) << UInt64(code)) != 0 {
            snd_pcm_format_mask_set(mask, snd_pcm_format_t(rawValue: Int32(code)))
        }
        func narrow(_ step: String, _ code: Int32) throws(SndIfError) {
            if code < 0 { throw .paramsUnsupported(reason: "\(name) supports no \(step) in the requested range") }
        }
        try narrow("format", snd_pcm_hw_params_set_format_mask(pcm, hw, mask))
        var low = wanted.rates.min, high = wanted.rates.max
        try narrow("rate", snd_pcm_hw_params_set_rate_minmax(pcm, hw, &low, nil, &high, nil))
        low = wanted.channels.min
        high = wanted.channels.max
        try narrow("channel count", snd_pcm_hw_params_set_channels_minmax(pcm, hw, &low, &high))
        var framesLow = snd_pcm_uframes_t(wanted.bufferFrames.min), framesHigh = snd_pcm_uframes_t(wanted.bufferFrames.max)
        try narrow("buffer size", snd_pcm_hw_params_set_buffer_size_minmax(pcm, hw, &framesLow, &framesHigh))
        framesLow = snd_pcm_uframes_t(wanted.periodFrames.min)
        framesHigh = snd_pcm_uframes_t(wanted.periodFrames.max)
        try narrow("period size", snd_pcm_hw_params_set_period_size_minmax(pcm, hw, &framesLow, nil, &framesHigh, nil))

        var ranges = PCMRanges(formats: 0, rates: .any, channels: .any, bufferFrames: .any, periodFrames: .any)
        snd_pcm_hw_params_get_format_mask(hw, mask)
        for code in 0..<Self.formatCount where snd_pcm_format_mask_test(mask, snd_pcm_format_t(rawValue: Int32(code))) != 0 {
            ranges.formats |= UInt64(1) << UInt64(code)
        }
        result = snd_pcm_hw_params_get_rate_min(hw, &ranges.rates.min, nil)
        result |= snd_pcm_hw_params_get_rate_max(hw, &ranges.rates.max, nil)
        result |= snd_pcm_hw_params_get_channels_min(hw, &ranges.channels.min)
        result |= snd_pcm_hw_params_get_channels_max(hw, &ranges.channels.max)
        ranges.bufferFrames = try frameInterval { (low, high) in
            snd_pcm_hw_params_get_buffer_size_min(hw, low) | snd_pcm_hw_params_get_buffer_size_max(hw, high)
        }
        ranges.periodFrames = try frameInterval { (low, high) in
            snd_pcm_hw_params_get_period_size_min(hw, low, nil) | snd_pcm_hw_params_get_period_size_max(hw, high, nil)
        }
        guard result >= 0 else { throw .pcmQueryFailed(device: name, errno: -result) }
        return ranges
    }

    private func frameInterval(_ read: (UnsafeMutablePointer<snd_pcm_uframes_t>, UnsafeMutablePointer<snd_pcm_uframes_t>) -> Int32)
        throws(SndIfError) -> PCMInterval {
        var low: snd_pcm_uframes_t = 0
        var high: snd_pcm_uframes_t = 0
        let result = read(&low, &high)
        guard result >= 0 else { throw .pcmQueryFailed(device: name, errno: -result) }
        return PCMInterval(min: UInt32(clamping: low), max: UInt32(clamping: high))
    }

    /// Applies hw and sw params for `params` and prepares the PCM.
    func configure(_ params: PCMParams) throws(SndIfError) -> PCMParams {
        let pcm = try acquire()
        var hw: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&hw) >= 0, let hw else { throw .pcmConfigureFailed(device: name, step: "alloc", errno: 12) }
        defer { snd_pcm_hw_params_free(hw) }
        func check(_ step: String, _ code: Int32) throws(SndIfError) {
            if code < 0 { throw .pcmConfigureFailed(device: name, step: step, errno: -code) }
        }
        try check("hw_params_any", snd_pcm_hw_params_any(pcm, hw))
        try check("access", snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED))
        try check("format", snd_pcm_hw_params_set_format(pcm, hw, snd_pcm_format_t(rawValue: Int32(params.format.rawValue))))
        try check("channels", snd_pcm_hw_params_set_channels(pcm, hw, params.channels))
        try check("rate", snd_pcm_hw_params_set_rate(pcm, hw, params.rate, 0))
        var buffer = snd_pcm_uframes_t(params.bufferFrames)
        try check("buffer size", snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer))
        var period = snd_pcm_uframes_t(params.periodFrames)
        try check("period size", snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, nil))
        try check("hw_params", snd_pcm_hw_params(pcm, hw))

        var sw: OpaquePointer?
        guard snd_pcm_sw_params_malloc(&sw) >= 0, let sw else { throw .pcmConfigureFailed(device: name, step: "alloc", errno: 12) }
        defer { snd_pcm_sw_params_free(sw) }
        try check("sw_params_current", snd_pcm_sw_params_current(pcm, sw))
        var boundary: snd_pcm_uframes_t = 0
        try check("boundary", snd_pcm_sw_params_get_boundary(sw, &boundary))
        // The frontend's TRIGGER start starts the stream, never the fill level.
        try check("start threshold", snd_pcm_sw_params_set_start_threshold(pcm, sw, boundary))
        try check("avail min", snd_pcm_sw_params_set_avail_min(pcm, sw, period))
        if direction == .playback {
            // Silence what was played: when the frontend runs dry (the end of a stream, a late
            // WRITE) the device plays silence until the underrun is noticed, not stale samples.
            try check("silence threshold", snd_pcm_sw_params_set_silence_threshold(pcm, sw, 0))
            try check("silence size", snd_pcm_sw_params_set_silence_size(pcm, sw, boundary))
        }
        try check("sw_params", snd_pcm_sw_params(pcm, sw))
        try check("prepare", snd_pcm_prepare(pcm))
        var negotiated = params
        negotiated.bufferFrames = UInt32(truncatingIfNeeded: buffer)
        negotiated.periodFrames = UInt32(truncatingIfNeeded: period)
        return negotiated
    }
}
