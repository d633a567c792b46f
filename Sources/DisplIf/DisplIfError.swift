// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Everything that can fail in the displif backend and its display sinks. Each
/// case names the failed operation and carries the offending values; `status`
/// maps it to the negative Xen errno answered to the frontend.
public enum DisplIfError: Error, Equatable, CustomStringConvertible {
    /// A display buffer or framebuffer cookie of 0 (xen/io/displif.h: invalid).
    case cookieZero(operation: UInt8)
    /// DBUF_CREATE or FB_ATTACH reused a cookie that is still live.
    case cookieInUse(operation: UInt8, cookie: UInt64)
    /// No display buffer has this cookie.
    case dbufUnknown(operation: UInt8, cookie: UInt64)
    /// No framebuffer has this cookie.
    case fbUnknown(operation: UInt8, cookie: UInt64)
    /// DBUF_CREATE asked the backend to allocate the buffer (`be-alloc`), which
    /// this backend does not do: the guest must use `be-alloc=0`.
    case backendAllocationUnsupported(cookie: UInt64)
    /// DBUF_CREATE set flag bits displif.h does not define.
    case flagsUnknown(flags: UInt32)
    /// Width, height or bpp is zero, too large, or not a whole number of bytes per pixel.
    case geometryInvalid(operation: UInt8, width: UInt32, height: UInt32, bpp: UInt32)
    /// The pixels (`data_ofs` + pitch × height) do not fit in `buffer_sz`.
    case bufferTooSmall(needed: UInt64, bufferBytes: UInt32)
    /// A buffer is larger than the backend's limit, or the frontend holds too many.
    case bufferTooLarge(bytes: UInt64, limit: Int)
    case tooManyObjects(kind: String, limit: Int)
    /// The page directory or a buffer page could not be mapped.
    case bufferMapFailed(XenError)
    /// Allocating or granting a backend-allocated buffer failed.
    case bufferShareFailed(XenError)
    /// FB_ATTACH's FOURCC is not a format this backend can show.
    case pixelFormatUnsupported(fourcc: UInt32)
    /// The framebuffer is larger than its display buffer.
    case framebufferOutsideBuffer(width: UInt32, height: UInt32, dbufWidth: UInt32, dbufHeight: UInt32)
    /// SET_CONFIG's offsets or size exceed the framebuffer.
    case configOutsideDisplay(x: UInt32, y: UInt32, width: UInt32, height: UInt32, limitWidth: UInt32, limitHeight: UInt32)
    /// SET_CONFIG's bpp differs from the framebuffer's pixel format.
    case bppMismatch(bpp: UInt32, formatBpp: UInt32)
    /// PG_FLIP on a connector with no configuration set.
    case connectorNotConfigured(connector: Int)
    /// A device-wide operation arrived on a connector other than 0.
    case wrongRing(operation: UInt8, connector: Int)
    /// GET_EDID on protocol version 1, or an operation displif.h does not define.
    case operationUnsupported(operation: UInt8)
    /// GET_EDID's buffer is smaller than `XENDISPL_EDID_MAX_SIZE`.
    case edidBufferTooSmall(bytes: UInt32)
    /// The DRM card could not be opened (or does no modesetting with dumb buffers).
    case cardOpenFailed(path: String, errno: Int32)
    /// The display device failed.
    case sinkFailed(output: String, step: String, errno: Int32)
    /// No display output of this name exists.
    case outputUnknown(name: String)
    /// A Xen operation (xenstore, grant mapping, event channel) failed.
    case xenFailed(XenError)
    /// The frontend's xenstore topology is wrong (no connectors, bad resolution).
    case topologyInvalid(path: String, reason: String)

    /// The status answered to the frontend (`-XEN_E*`, xen/errno.h).
    public var status: Int32 {
        switch self {
        case .cookieZero, .flagsUnknown, .geometryInvalid, .bufferTooSmall, .framebufferOutsideBuffer,
             .configOutsideDisplay, .bppMismatch, .connectorNotConfigured, .wrongRing, .edidBufferTooSmall, .topologyInvalid:
            return -22  // XEN_EINVAL
        case .cookieInUse: return -17  // XEN_EEXIST
        case .dbufUnknown, .fbUnknown: return -2  // XEN_ENOENT
        case .backendAllocationUnsupported, .pixelFormatUnsupported, .operationUnsupported: return -95  // XEN_EOPNOTSUPP
        case .bufferTooLarge: return -7  // XEN_E2BIG
        case .tooManyObjects: return -12  // XEN_ENOMEM
        case .bufferMapFailed(.grantBudgetExceeded): return -12  // XEN_ENOMEM
        case .bufferMapFailed: return -14  // XEN_EFAULT
        case .bufferShareFailed: return -12  // XEN_ENOMEM
        case .sinkFailed, .xenFailed, .cardOpenFailed: return -5  // XEN_EIO
        case .outputUnknown: return -19  // XEN_ENODEV
        }
    }

    public var description: String {
        switch self {
        case .cookieZero(let o): return "Operation \(o) used cookie 0, which displif.h reserves as invalid."
        case .cookieInUse(let o, let c): return "Operation \(o): cookie \(c) is already in use."
        case .dbufUnknown(let o, let c): return "Operation \(o): no display buffer has cookie \(c)."
        case .fbUnknown(let o, let c): return "Operation \(o): no framebuffer has cookie \(c)."
        case .backendAllocationUnsupported(let c):
            return "Display buffer \(c) asks the backend to allocate it, but be-alloc is not 1 for this card: set be-alloc=1 in the guest's vdispl."
        case .flagsUnknown(let f): return "DBUF_CREATE flags \(f) have bits displif.h does not define."
        case .geometryInvalid(let o, let w, let h, let b): return "Operation \(o): \(w)x\(h) at \(b) bpp is not a valid geometry."
        case .bufferTooSmall(let n, let b): return "The pixels need \(n) bytes but the buffer holds \(b)."
        case .bufferTooLarge(let b, let l): return "Buffer of \(b) bytes exceeds the limit of \(l) bytes."
        case .tooManyObjects(let k, let l): return "The frontend already holds \(l) \(k)s, the limit."
        case .bufferMapFailed(let e): return "Unable to map the shared buffer: \(e.description)"
        case .bufferShareFailed(let e): return "Unable to allocate and grant the display buffer: \(e.description)"
        case .pixelFormatUnsupported(let f): return "Pixel format \(PixelFormat.fourccText(f)) is not supported."
        case .framebufferOutsideBuffer(let w, let h, let dw, let dh):
            return "Framebuffer \(w)x\(h) does not fit its \(dw)x\(dh) display buffer."
        case .configOutsideDisplay(let x, let y, let w, let h, let lw, let lh):
            return "Configuration \(w)x\(h)+\(x)+\(y) exceeds \(lw)x\(lh)."
        case .bppMismatch(let b, let f): return "SET_CONFIG bpp \(b) differs from the framebuffer's \(f)."
        case .connectorNotConfigured(let c): return "Connector \(c) has no configuration: send SET_CONFIG first."
        case .wrongRing(let o, let c): return "Operation \(o) must go over connector 0's ring, not connector \(c)'s."
        case .operationUnsupported(let o): return "Operation \(o) is not supported by this protocol version."
        case .edidBufferTooSmall(let b): return "EDID buffer of \(b) bytes is below XENDISPL_EDID_MAX_SIZE."
        case .cardOpenFailed(let p, let e):
            return "DRM card \(p) cannot be used (errno \(e)): check the path, that its driver is loaded and that it does KMS."
        case .sinkFailed(let o, let s, let e): return "Display output \(o) failed at \(s) (errno \(e))."
        case .outputUnknown(let n): return "No display output is named \(n): check --connector and --bind."
        case .xenFailed(let e): return e.description
        case .topologyInvalid(let p, let r): return "Frontend topology at \(p) is invalid: \(r)."
        }
    }
}
