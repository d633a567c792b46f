// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A display buffer the frontend created (DBUF_CREATE): its pages mapped
/// read-only, and the geometry the backend checked against their size.
public struct DisplayBuffer {
    public let cookie: UInt64
    public let width: UInt32
    public let height: UInt32
    public let bpp: UInt32
    /// Bytes per row: `ceil(width × bpp / 8)`, as xen-drm-front computes it.
    public let pitch: Int
    /// Where the pixels start (`data_ofs`).
    public let dataOffset: Int
    /// `buffer_sz`; the mapping covers at least this many bytes.
    public let byteCount: Int
    /// Where the pages come from.
    public let storage: Storage

    /// The pages of a display buffer.
    public enum Storage {
        /// The frontend's pages, mapped read-only (be-alloc=0).
        case mapped(GrantMapping)
        /// Pages this backend allocated and granted to the frontend (be-alloc=1, XENDISPL_DBUF_FLG_REQ_ALLOC).
        case shared(SharedPages)
    }

    /// Address of the first pixel.
    var pixels: UnsafeRawPointer {
        switch storage {
        case .mapped(let mapping): UnsafeRawPointer(mapping.address) + dataOffset
        case .shared(let pages): UnsafeRawPointer(pages.address) + dataOffset
        }
    }

    /// True for a buffer this backend allocated.
    public var isBackendAllocated: Bool {
        if case .shared = storage { true } else { false }
    }
}

/// Bytes of backend-allocated display buffers per guest domain, shared by all
/// of a backend's devices so a guest with several cards meets one cap
/// (``DisplIfOptions/backendAllocationLimit``).
public final class GuestAllocations {
    public private(set) var bytes: [DomainID: Int] = [:]
    public init() {}
    func add(_ count: Int, for domain: DomainID) { bytes[domain, default: 0] += count }
    func remove(_ count: Int, for domain: DomainID) {
        let left = (bytes[domain] ?? 0) - count
        bytes[domain] = left > 0 ? left : nil
    }
}

/// A framebuffer attached to a display buffer (FB_ATTACH).
public struct Framebuffer: Equatable {
    public let cookie: UInt64
    public let dbufCookie: UInt64
    public let width: UInt32
    public let height: UInt32
    public let format: PixelFormat

    public init(cookie: UInt64, dbufCookie: UInt64, width: UInt32, height: UInt32, format: PixelFormat) {
        self.cookie = cookie
        self.dbufCookie = dbufCookie
        self.width = width
        self.height = height
        self.format = format
    }
}

/// What SET_CONFIG set on a connector.
public struct ConnectorConfig: Equatable {
    public var fbCookie: UInt64
    public var x: UInt32
    public var y: UInt32
    public var width: UInt32
    public var height: UInt32

    public init(fbCookie: UInt64, x: UInt32, y: UInt32, width: UInt32, height: UInt32) {
        self.fbCookie = fbCookie
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
