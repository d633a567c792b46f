// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One request of a connector's ring (`struct xendispl_req`), decoded from a
/// private copy of its 64 octets: nothing here points into shared memory.
/// Reserved fields are ignored (Linux's xen-drm-front does not clear them).
public struct DisplRequest: Equatable, Sendable {
    public enum Body: Equatable, Sendable {
        case dbufCreate(dbufCookie: UInt64, width: UInt32, height: UInt32, bpp: UInt32, bufferBytes: UInt32,
                        flags: UInt32, directory: UInt32, dataOffset: UInt32)
        case dbufDestroy(dbufCookie: UInt64)
        case fbAttach(dbufCookie: UInt64, fbCookie: UInt64, width: UInt32, height: UInt32, pixelFormat: UInt32)
        case fbDetach(fbCookie: UInt64)
        case setConfig(fbCookie: UInt64, x: UInt32, y: UInt32, width: UInt32, height: UInt32, bpp: UInt32)
        case pageFlip(fbCookie: UInt64)
        case getEdid(bufferBytes: UInt32, directory: UInt32)
        /// An operation code xen/io/displif.h does not define.
        case unknown
    }

    public var id: UInt16
    public var operation: UInt8
    public var body: Body

    public init(id: UInt16, operation: UInt8, body: Body) {
        self.id = id
        self.operation = operation
        self.body = body
    }

    /// A request whose operation code follows from its body.
    public init(id: UInt16 = 0, _ body: Body) {
        self.id = id
        self.body = body
        switch body {
        case .dbufCreate: operation = DisplIfWire.opDbufCreate
        case .dbufDestroy: operation = DisplIfWire.opDbufDestroy
        case .fbAttach: operation = DisplIfWire.opFbAttach
        case .fbDetach: operation = DisplIfWire.opFbDetach
        case .setConfig: operation = DisplIfWire.opSetConfig
        case .pageFlip: operation = DisplIfWire.opPageFlip
        case .getEdid: operation = DisplIfWire.opGetEdid
        case .unknown: operation = 0
        }
    }

    /// Decodes a packet copied out of the ring (at least 64 bytes).
    public init(decoding bytes: UnsafeRawBufferPointer) {
        typealias W = DisplIfWire
        id = PacketBytes.u16(bytes, W.idOffset)
        operation = bytes[W.operationOffset]
        func u32(_ offset: Int) -> UInt32 { PacketBytes.u32(bytes, offset) }
        func u64(_ offset: Int) -> UInt64 { PacketBytes.u64(bytes, offset) }
        switch operation {
        case W.opDbufCreate:
            body = .dbufCreate(dbufCookie: u64(W.dbufCookieOffset), width: u32(W.dbufWidthOffset), height: u32(W.dbufHeightOffset),
                               bpp: u32(W.dbufBppOffset), bufferBytes: u32(W.dbufBufferSizeOffset), flags: u32(W.dbufFlagsOffset),
                               directory: u32(W.dbufDirectoryOffset), dataOffset: u32(W.dbufDataOffsetOffset))
        case W.opDbufDestroy:
            body = .dbufDestroy(dbufCookie: u64(W.cookieOffset))
        case W.opFbAttach:
            body = .fbAttach(dbufCookie: u64(W.attachDbufCookieOffset), fbCookie: u64(W.attachFbCookieOffset),
                             width: u32(W.attachWidthOffset), height: u32(W.attachHeightOffset), pixelFormat: u32(W.attachFormatOffset))
        case W.opFbDetach:
            body = .fbDetach(fbCookie: u64(W.cookieOffset))
        case W.opSetConfig:
            body = .setConfig(fbCookie: u64(W.configFbCookieOffset), x: u32(W.configXOffset), y: u32(W.configYOffset),
                              width: u32(W.configWidthOffset), height: u32(W.configHeightOffset), bpp: u32(W.configBppOffset))
        case W.opPageFlip:
            body = .pageFlip(fbCookie: u64(W.cookieOffset))
        case W.opGetEdid:
            body = .getEdid(bufferBytes: u32(W.edidBufferSizeOffset), directory: u32(W.edidDirectoryOffset))
        default:
            body = .unknown
        }
    }

    /// Encodes the request into 64 bytes (used by simulated frontends).
    public func encode(into bytes: UnsafeMutableRawBufferPointer) {
        typealias W = DisplIfWire
        for index in 0..<W.packetSize { bytes[index] = 0 }
        PacketBytes.put16(bytes, W.idOffset, id)
        bytes[W.operationOffset] = operation
        func put32(_ offset: Int, _ value: UInt32) { PacketBytes.put32(bytes, offset, value) }
        func put64(_ offset: Int, _ value: UInt64) { PacketBytes.put64(bytes, offset, value) }
        switch body {
        case .dbufCreate(let cookie, let width, let height, let bpp, let size, let flags, let directory, let dataOffset):
            put64(W.dbufCookieOffset, cookie)
            put32(W.dbufWidthOffset, width)
            put32(W.dbufHeightOffset, height)
            put32(W.dbufBppOffset, bpp)
            put32(W.dbufBufferSizeOffset, size)
            put32(W.dbufFlagsOffset, flags)
            put32(W.dbufDirectoryOffset, directory)
            put32(W.dbufDataOffsetOffset, dataOffset)
        case .dbufDestroy(let cookie), .fbDetach(let cookie), .pageFlip(let cookie):
            put64(W.cookieOffset, cookie)
        case .fbAttach(let dbuf, let fb, let width, let height, let format):
            put64(W.attachDbufCookieOffset, dbuf)
            put64(W.attachFbCookieOffset, fb)
            put32(W.attachWidthOffset, width)
            put32(W.attachHeightOffset, height)
            put32(W.attachFormatOffset, format)
        case .setConfig(let fb, let x, let y, let width, let height, let bpp):
            put64(W.configFbCookieOffset, fb)
            put32(W.configXOffset, x)
            put32(W.configYOffset, y)
            put32(W.configWidthOffset, width)
            put32(W.configHeightOffset, height)
            put32(W.configBppOffset, bpp)
        case .getEdid(let size, let directory):
            put32(W.edidBufferSizeOffset, size)
            put32(W.edidDirectoryOffset, directory)
        case .unknown:
            break
        }
    }
}
