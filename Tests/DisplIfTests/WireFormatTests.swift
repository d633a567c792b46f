// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CDisplIfWire
import DisplIf
import Testing
import XenCore

/// DisplIfWire's constants and the packet codecs against xen/io/displif.h.
@Suite struct WireFormatTests {
    @Test func layoutMatchesTheHeader() throws {
        #expect(cdispl_req_size() == DisplIfWire.packetSize)
        #expect(cdispl_resp_size() == DisplIfWire.packetSize)
        #expect(cdispl_evt_size() == DisplIfWire.packetSize)
        #expect(cdispl_req_operation() == DisplIfWire.operationOffset)
        #expect(cdispl_req_op() == DisplIfWire.bodyOffset)
        #expect(cdispl_resp_status() == DisplIfWire.statusOffset)
        #expect(cdispl_resp_edid_sz() == DisplIfWire.edidSizeOffset)
        #expect(cdispl_evt_type() == DisplIfWire.operationOffset)
        #expect(cdispl_evt_fb_cookie() == DisplIfWire.cookieOffset)
        #expect(cdispl_dbuf_cookie() == DisplIfWire.dbufCookieOffset)
        #expect(cdispl_dbuf_width() == DisplIfWire.dbufWidthOffset)
        #expect(cdispl_dbuf_height() == DisplIfWire.dbufHeightOffset)
        #expect(cdispl_dbuf_bpp() == DisplIfWire.dbufBppOffset)
        #expect(cdispl_dbuf_buffer_sz() == DisplIfWire.dbufBufferSizeOffset)
        #expect(cdispl_dbuf_flags() == DisplIfWire.dbufFlagsOffset)
        #expect(cdispl_dbuf_gref_directory() == DisplIfWire.dbufDirectoryOffset)
        #expect(cdispl_dbuf_data_ofs() == DisplIfWire.dbufDataOffsetOffset)
        #expect(cdispl_destroy_cookie() == DisplIfWire.cookieOffset)
        #expect(cdispl_attach_dbuf_cookie() == DisplIfWire.attachDbufCookieOffset)
        #expect(cdispl_attach_fb_cookie() == DisplIfWire.attachFbCookieOffset)
        #expect(cdispl_attach_width() == DisplIfWire.attachWidthOffset)
        #expect(cdispl_attach_height() == DisplIfWire.attachHeightOffset)
        #expect(cdispl_attach_format() == DisplIfWire.attachFormatOffset)
        #expect(cdispl_detach_cookie() == DisplIfWire.cookieOffset)
        #expect(cdispl_config_cookie() == DisplIfWire.configFbCookieOffset)
        #expect(cdispl_config_x() == DisplIfWire.configXOffset)
        #expect(cdispl_config_y() == DisplIfWire.configYOffset)
        #expect(cdispl_config_width() == DisplIfWire.configWidthOffset)
        #expect(cdispl_config_height() == DisplIfWire.configHeightOffset)
        #expect(cdispl_config_bpp() == DisplIfWire.configBppOffset)
        #expect(cdispl_flip_cookie() == DisplIfWire.cookieOffset)
        #expect(cdispl_edid_buffer_sz() == DisplIfWire.edidBufferSizeOffset)
        #expect(cdispl_edid_gref_directory() == DisplIfWire.edidDirectoryOffset)
        #expect(cdispl_event_in_cons() == DisplIfWire.eventInConsOffset)
        #expect(cdispl_event_in_prod() == DisplIfWire.eventInProdOffset)
        #expect(cdispl_in_ring_offs() == DisplIfWire.eventRingOffset)
        #expect(cdispl_in_ring_len() == Int(DisplIfWire.eventRingLength))
        #expect(cdispl_page_directory_gref() == 4)
        let geometry = try RingGeometry(requestSize: DisplIfWire.packetSize, responseSize: DisplIfWire.packetSize)
        #expect(geometry.entries == cdispl_ring_size())
        #expect(cdispl_op_dbuf_create() == Int32(DisplIfWire.opDbufCreate))
        #expect(cdispl_op_dbuf_destroy() == Int32(DisplIfWire.opDbufDestroy))
        #expect(cdispl_op_fb_attach() == Int32(DisplIfWire.opFbAttach))
        #expect(cdispl_op_fb_detach() == Int32(DisplIfWire.opFbDetach))
        #expect(cdispl_op_set_config() == Int32(DisplIfWire.opSetConfig))
        #expect(cdispl_op_pg_flip() == Int32(DisplIfWire.opPageFlip))
        #expect(cdispl_op_get_edid() == Int32(DisplIfWire.opGetEdid))
        #expect(cdispl_evt_pg_flip() == Int32(DisplIfWire.eventPageFlip))
        #expect(cdispl_flg_req_alloc() == DisplIfWire.flagRequestAlloc)
        #expect(cdispl_edid_max_size() == Int32(DisplIfWire.edidMaxSize))
        #expect(String(cString: cdispl_driver_name()) == DisplIfWire.deviceType)
        #expect(DisplIfWire.protocolVersions.hasSuffix(String(cString: cdispl_protocol_version())))
    }

    @Test func requestsRoundTripThroughBytes() {
        let requests = [
            DisplRequest(id: 0xBEEF, .dbufCreate(dbufCookie: 0x1122_3344_5566_7788, width: 1920, height: 1080, bpp: 32,
                                                 bufferBytes: 0x7E_9000, flags: 1, directory: 0xCAFE, dataOffset: 64)),
            DisplRequest(id: 1, .dbufDestroy(dbufCookie: UInt64.max)),
            DisplRequest(id: 2, .fbAttach(dbufCookie: 7, fbCookie: 0x8000_0000_0000_0001, width: 3, height: 4,
                                          pixelFormat: PixelFormat.rgb565.rawValue)),
            DisplRequest(id: 3, .fbDetach(fbCookie: 9)),
            DisplRequest(id: 4, .setConfig(fbCookie: 5, x: 1, y: 2, width: 800, height: 600, bpp: 16)),
            DisplRequest(id: 5, .pageFlip(fbCookie: 6)),
            DisplRequest(id: 6, .getEdid(bufferBytes: 32768, directory: 77)),
            DisplRequest(id: 7, operation: 0x42, body: .unknown),
        ]
        var bytes = [UInt8](repeating: 0xFF, count: DisplIfWire.packetSize)
        for request in requests {
            let decoded = bytes.withUnsafeMutableBytes { raw in
                request.encode(into: raw)
                return DisplRequest(decoding: UnsafeRawBufferPointer(raw))
            }
            #expect(decoded == request)
        }
    }

    @Test func responseIsZeroedAndCarriesANegativeStatus() {
        let response = DisplResponse(id: 9, operation: DisplIfWire.opGetEdid, status: -22, edidBytes: 128)
        var bytes = [UInt8](repeating: 0xAA, count: DisplIfWire.packetSize)
        let decoded = bytes.withUnsafeMutableBytes { raw in
            response.encode(into: raw)
            return DisplResponse(decoding: UnsafeRawBufferPointer(raw))
        }
        #expect(decoded == response)
        #expect(bytes[4] == 0xEA && bytes[7] == 0xFF)  // -22 little-endian
        #expect(bytes[12...].allSatisfy { $0 == 0 }, "reserved bytes must be zero")
    }

    @Test func fourccCodesMatchDRM() {
        #expect(PixelFormat.fourccText(PixelFormat.xrgb8888.rawValue) == "XR24")
        #expect(PixelFormat.fourccText(PixelFormat.argb8888.rawValue) == "AR24")
        #expect(PixelFormat.fourccText(PixelFormat.rgb888.rawValue) == "RG24")
        #expect(PixelFormat.fourccText(PixelFormat.rgb565.rawValue) == "RG16")
        #expect(PixelFormat.fourccText(PixelFormat.xrgb1555.rawValue) == "XR15")
        #expect(PixelFormat.fourccText(PixelFormat.argb4444.rawValue) == "AR12")
        #expect(PixelFormat(fourcc: 0x3231_5659) == nil)  // YV12
    }

    @Test func rowsConvertToXRGB8888() {
        var out = [UInt32](repeating: 0, count: 2)
        let rgb565: [UInt16] = [0xF800, 0x07E0]
        rgb565.withUnsafeBytes { src in out.withUnsafeMutableBytes { PixelFormat.rgb565.convertRow(from: src.baseAddress!, to: $0.baseAddress!, width: 2) } }
        #expect(out == [0xFF0000, 0x00FF00])
        let argb: [UInt32] = [0x80123456, 0xFFABCDEF]
        argb.withUnsafeBytes { src in out.withUnsafeMutableBytes { PixelFormat.argb8888.convertRow(from: src.baseAddress!, to: $0.baseAddress!, width: 2) } }
        #expect(out == [0x123456, 0xABCDEF])
        let rgb888: [UInt8] = [0x01, 0x02, 0x03, 0xFF, 0x00, 0x80]
        rgb888.withUnsafeBytes { src in out.withUnsafeMutableBytes { PixelFormat.rgb888.convertRow(from: src.baseAddress!, to: $0.baseAddress!, width: 2) } }
        #expect(out == [0x030201, 0x8000FF])
        let xrgb4444: [UInt16] = [0x0F00, 0x00F1]
        xrgb4444.withUnsafeBytes { src in out.withUnsafeMutableBytes { PixelFormat.xrgb4444.convertRow(from: src.baseAddress!, to: $0.baseAddress!, width: 2) } }
        #expect(out == [0xFF0000, 0x00FF11])
        let xrgb1555: [UInt16] = [0x7C00, 0x001F]
        xrgb1555.withUnsafeBytes { src in out.withUnsafeMutableBytes { PixelFormat.xrgb1555.convertRow(from: src.baseAddress!, to: $0.baseAddress!, width: 2) } }
        #expect(out == [0xFF0000, 0x0000FF])
    }

    @Test func edidBlockIsValid() throws {
        let edid = try #require(EDID.block(width: 1024, height: 768))
        #expect(edid.count == 128)
        #expect(Array(edid[0..<8]) == [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00])
        #expect(edid.reduce(UInt8(0)) { $0 &+ $1 } == 0, "checksum")
        let width = Int(edid[56]) | Int(edid[58] >> 4) << 8
        let height = Int(edid[59]) | Int(edid[61] >> 4) << 8
        #expect(width == 1024 && height == 768)
        let clock = Int(edid[54]) | Int(edid[55]) << 8
        #expect(clock > 0)
        #expect(EDID.block(width: 5000, height: 100) == nil)
    }
}
