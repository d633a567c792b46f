// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Everything that can fail in the sndif backend and its PCM devices. Each case
/// names the failed operation and carries the offending values; `status` maps
/// it to the negative Xen errno answered to the frontend.
public enum SndIfError: Error, Equatable, CustomStringConvertible {
    /// OPEN or HW_PARAM_QUERY asked for a configuration the device or the
    /// xenstore configuration does not allow.
    case paramsUnsupported(reason: String)
    /// OPEN's buffer is larger than `buffer-size` (or the backend limit).
    case bufferTooLarge(bytes: UInt32, limit: Int)
    /// OPEN's buffer or period is not a whole number of frames, or is zero.
    case bufferGeometryInvalid(bufferBytes: UInt32, periodBytes: UInt32, frameBytes: Int)
    /// The page directory or a buffer page could not be mapped.
    case bufferMapFailed(XenError)
    /// A request's offset/length lies outside the shared buffer.
    case rangeOutsideBuffer(offset: UInt32, length: UInt32, bufferBytes: Int)
    /// A range is not a whole number of frames (READ/WRITE) or channels (volume).
    case rangeMisaligned(length: UInt32, unit: Int)
    /// An operation needs an open stream and the stream is closed.
    case streamNotOpen(operation: UInt8)
    /// TRIGGER `type` is not allowed in the stream's current state.
    case triggerNotAllowed(type: UInt8, state: String)
    /// READ on a playback stream or WRITE on a capture stream.
    case directionMismatch(operation: UInt8)
    /// An operation code or trigger type xen/io/sndif.h does not define.
    case operationUnknown(operation: UInt8, trigger: UInt8?)
    /// The bound device has no volume or mute control.
    case volumeUnsupported(device: String)
    /// The host PCM device failed (`errno` from the library).
    case pcmOpenFailed(device: String, errno: Int32)
    case pcmConfigureFailed(device: String, step: String, errno: Int32)
    case pcmIOFailed(device: String, errno: Int32)
    case pcmTriggerFailed(device: String, action: String, errno: Int32)
    case pcmQueryFailed(device: String, errno: Int32)
    case volumeFailed(device: String, errno: Int32)
    /// A SET_VOLUME level above the loudest accepted (0.001 dB steps).
    case volumeOutOfRange(level: Int32, maximum: Int32)
    /// No PCM device is bound to a stream (see sndif-backend's `--bind`).
    case streamUnbound(guest: String, uniqueID: String, direction: PCMDirection)
    /// A Xen operation (xenstore, grant mapping, event channel) failed.
    case xenFailed(XenError)
    /// The frontend's xenstore topology is wrong (no streams, bad type).
    case topologyInvalid(path: String, reason: String)

    /// The status answered to the frontend (`-XEN_E*`, xen/errno.h).
    public var status: Int32 {
        switch self {
        case .paramsUnsupported, .bufferGeometryInvalid, .rangeOutsideBuffer, .rangeMisaligned, .directionMismatch:
            return -22  // XEN_EINVAL
        case .bufferTooLarge: return -7  // XEN_E2BIG
        case .bufferMapFailed(.grantBudgetExceeded): return -12  // XEN_ENOMEM
        case .bufferMapFailed: return -14  // XEN_EFAULT
        case .streamNotOpen: return -9  // XEN_EBADF
        case .triggerNotAllowed: return -1  // XEN_EPERM
        case .operationUnknown, .volumeUnsupported: return -95  // XEN_EOPNOTSUPP
        case .pcmOpenFailed, .pcmConfigureFailed, .pcmQueryFailed, .streamUnbound: return -19  // XEN_ENODEV
        case .pcmIOFailed, .pcmTriggerFailed, .volumeFailed: return -5  // XEN_EIO
        case .topologyInvalid, .volumeOutOfRange: return -22
        case .xenFailed: return -5
        }
    }

    public var description: String {
        switch self {
        case .paramsUnsupported(let r): return "Unable to configure the stream: \(r)."
        case .bufferTooLarge(let b, let l): return "Unable to open the stream: buffer of \(b) bytes exceeds the limit of \(l) bytes."
        case .bufferGeometryInvalid(let b, let p, let f):
            return "Unable to open the stream: buffer \(b) and period \(p) bytes must be non-zero multiples of the \(f)-byte frame."
        case .bufferMapFailed(let e): return "Unable to map the stream's shared buffer: \(e.description)"
        case .rangeOutsideBuffer(let o, let l, let b): return "Range at offset \(o) of \(l) bytes lies outside the \(b)-byte buffer."
        case .rangeMisaligned(let l, let u): return "Range of \(l) bytes is not a multiple of \(u) bytes."
        case .streamNotOpen(let o): return "Operation \(o) needs an open stream: send OPEN first."
        case .triggerNotAllowed(let t, let s): return "Trigger \(t) is not allowed while the stream is \(s)."
        case .directionMismatch(let o): return "Operation \(o) does not match the stream's direction."
        case .operationUnknown(let o, let t):
            if let t { return "Trigger type \(t) is not defined by sndif.h." }
            return "Operation \(o) is not defined by sndif.h."
        case .volumeUnsupported(let d): return "Device \(d) has no volume control for this stream (software volume needs linear PCM samples)."
        case .volumeOutOfRange(let l, let m): return "Volume \(l) (0.001 dB) is above the maximum of \(m)."
        case .pcmOpenFailed(let d, let e): return "Unable to open PCM device \(d) (errno \(e)): check the binding and that the device exists."
        case .pcmConfigureFailed(let d, let s, let e): return "Unable to configure PCM device \(d) at \(s) (errno \(e))."
        case .pcmIOFailed(let d, let e): return "Unable to move samples through PCM device \(d) (errno \(e))."
        case .pcmTriggerFailed(let d, let a, let e): return "Unable to \(a) PCM device \(d) (errno \(e))."
        case .pcmQueryFailed(let d, let e): return "Unable to query the ranges of PCM device \(d) (errno \(e))."
        case .volumeFailed(let d, let e): return "Unable to set or read the volume of \(d) (errno \(e))."
        case .streamUnbound(let g, let u, let d):
            let kind = d == .playback ? "p" : "c"
            return "No PCM is bound to \(d == .playback ? "playback" : "capture") stream '\(XenLog.escaped(u))' of guest '\(XenLog.escaped(g))': the image binds none (sndif-backend --bind \(XenLog.escaped(g)) \(XenLog.escaped(u)) \(kind) PCM); refused."
        case .xenFailed(let e): return e.description
        case .topologyInvalid(let p, let r): return "Frontend topology at \(p) is invalid: \(r)."
        }
    }
}
