// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CUsbIfWire
import Testing
import UsbIf
import XenCore

/// UsbIfWire's constants and the codecs against xen/io/usbif.h.
@Suite struct WireFormatTests {
    @Test func layoutMatchesTheHeader() throws {
        #expect(cusbif_req_size() == UsbIfWire.requestSize)
        #expect(cusbif_rsp_size() == UsbIfWire.responseSize)
        #expect(cusbif_seg_size() == UsbIfWire.segmentSize)
        #expect(cusbif_conn_req_size() == UsbIfWire.connRequestSize)
        #expect(cusbif_conn_rsp_size() == UsbIfWire.connResponseSize)
        #expect(cusbif_req_nr_buffer_segs() == UsbIfWire.requestSegmentCountOffset)
        #expect(cusbif_req_pipe() == UsbIfWire.requestPipeOffset)
        #expect(cusbif_req_transfer_flags() == UsbIfWire.requestFlagsOffset)
        #expect(cusbif_req_buffer_length() == UsbIfWire.requestBufferLengthOffset)
        #expect(cusbif_req_u() == UsbIfWire.requestSpecificOffset)
        #expect(cusbif_req_isoc_start_frame() == UsbIfWire.isoStartFrameOffset)
        #expect(cusbif_req_isoc_packets() == UsbIfWire.isoPacketCountOffset)
        #expect(cusbif_req_isoc_desc_segs() == UsbIfWire.isoDescriptorSegmentsOffset)
        #expect(cusbif_req_unlink_id() == UsbIfWire.unlinkIDOffset)
        #expect(cusbif_req_seg() == UsbIfWire.requestSegmentsOffset)
        #expect(cusbif_seg_offset() == 4)
        #expect(cusbif_seg_length() == 6)
        #expect(cusbif_rsp_start_frame() == UsbIfWire.responseStartFrameOffset)
        #expect(cusbif_rsp_status() == UsbIfWire.responseStatusOffset)
        #expect(cusbif_rsp_actual_length() == UsbIfWire.responseActualLengthOffset)
        #expect(cusbif_rsp_error_count() == UsbIfWire.responseErrorCountOffset)
        #expect(cusbif_conn_portnum() == UsbIfWire.connPortOffset)
        #expect(cusbif_conn_speed() == UsbIfWire.connSpeedOffset)
        #expect(cusbif_max_segments() == Int32(UsbIfWire.maxSegments))
        #expect(cusbif_max_ports() == Int32(UsbIfWire.maxPorts))
        #expect(cusbif_short_not_ok() == Int32(UsbIfWire.shortNotOK))
        #expect(cusbif_speed_low() == Int32(UsbSpeed.low.rawValue))
        #expect(cusbif_speed_full() == Int32(UsbSpeed.full.rawValue))
        #expect(cusbif_speed_high() == Int32(UsbSpeed.high.rawValue))
        let statuses: [UsbStatus] = [.ok, .noDevice, .invalid, .stall, .ioError, .babble, .shutdown]
        for (index, status) in statuses.enumerated() { #expect(cusbif_status(Int32(index)) == status.rawValue) }
        let urb = try RingGeometry(requestSize: UsbIfWire.requestSize, responseSize: UsbIfWire.responseSize,
                                   slotAlignment: UsbIfWire.requestAlignment)
        #expect(urb.entries == cusbif_urb_ring_size())
        let conn = try RingGeometry(requestSize: UsbIfWire.connRequestSize, responseSize: UsbIfWire.connResponseSize,
                                    slotAlignment: UsbIfWire.connAlignment)
        #expect(conn.entries == cusbif_conn_ring_size())
    }

    @Test(arguments: [UInt32(0), 0xFFFF_FFFF, 0x8000_0281, 0x4001_8F25, 0xC007_FFBF, 0x1234_5678, 0x0000_00A0])
    func pipeDecodingMatchesTheMacros(raw: UInt32) {
        let pipe = UsbPipe(rawValue: raw)
        #expect(UInt32(pipe.port) == cusbif_pipe_port(raw))
        #expect((pipe.isUnlink ? 1 : 0) == cusbif_pipe_unlink(raw))
        #expect((pipe.isIn ? 1 : 0) == cusbif_pipe_in(raw))
        #expect(UInt32(pipe.device) == cusbif_pipe_device(raw))
        #expect(UInt32(pipe.endpoint) == cusbif_pipe_endpoint(raw))
        #expect(UInt32(pipe.type.rawValue) == cusbif_pipe_type(raw))
    }

    @Test func pipeFieldsRoundTrip() {
        let pipe = UsbPipe(port: 31, device: 127, endpoint: 15, isIn: true, type: .bulk, unlink: true)
        #expect(pipe.port == 31 && pipe.device == 127 && pipe.endpoint == 15 && pipe.isIn && pipe.isUnlink && pipe.type == .bulk)
    }

    @Test func requestAndResponsesRoundTrip() {
        var bytes = [UInt8](repeating: 0xEE, count: UsbIfWire.requestSize)
        let segments = (0..<16).map { UsbSegment(ref: GrantRef(UInt32($0) * 77 + 1), offset: UInt16($0), length: UInt16(4096 - $0)) }
        let request = UrbRequest(id: 0xBEEF, pipe: UsbPipe(rawValue: 0xC000_8381), transferFlags: 1, bufferLength: 1234,
                                 specific: [1, 2, 3, 4, 5, 6, 7, 8], segments: segments)
        bytes.withUnsafeMutableBytes { request.encode(into: $0) }
        let decoded = bytes.withUnsafeBytes { UrbRequest(decoding: $0) }
        #expect(decoded == request)
        #expect(decoded.isoStartFrame == 0x0403 && decoded.isoPacketCount == 0x0605 && decoded.isoDescriptorSegmentCount == 0x0807)
        var response = [UInt8](repeating: 0, count: UsbIfWire.responseSize)
        let sent = UrbResponse(id: 7, startFrame: 9, status: -71, actualLength: 512, errorCount: 3)
        response.withUnsafeMutableBytes { sent.encode(into: $0) }
        #expect(response.withUnsafeBytes { UrbResponse(decoding: $0) } == sent)
        var conn = [UInt8](repeating: 0, count: UsbIfWire.connResponseSize)
        let event = UsbConnEvent(id: 300, port: 31, speed: 3)
        conn.withUnsafeMutableBytes { event.encode(into: $0) }
        #expect(conn == [44, 1, 31, 3])
    }

    @Test(arguments: [("1-1", true), ("3-1.5", true), ("255-7.7.7.7.7.7.7", true), ("usb1", false), ("1-1:1.0", false),
                      ("0-1", false), ("1-", false), ("-1", false), ("1-0", false), ("1-1..2", false), ("256-1", false),
                      ("", false), ("1-1.2.3.4.5.6.7.8", false), ("1.1-1", false)])
    func busIDParsing(text: String, valid: Bool) {
        let parsed = UsbBusID(text)
        #expect((parsed != nil) == valid)
        if let parsed { #expect(parsed.description == text) }
    }
}
