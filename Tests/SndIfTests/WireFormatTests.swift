// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CSndIfWire
import SndIf
import Testing
import XenCore

/// SndIfWire's constants and the packet codecs against xen/io/sndif.h.
@Suite struct WireFormatTests {
    @Test func layoutMatchesTheHeader() throws {
        #expect(csnd_req_size() == SndIfWire.packetSize)
        #expect(csnd_resp_size() == SndIfWire.packetSize)
        #expect(csnd_evt_size() == SndIfWire.packetSize)
        #expect(csnd_req_operation() == SndIfWire.operationOffset)
        #expect(csnd_req_op() == SndIfWire.bodyOffset)
        #expect(csnd_resp_status() == SndIfWire.statusOffset)
        #expect(csnd_resp_resp() == SndIfWire.hwFormatsOffset)
        #expect(csnd_req_op() + csnd_open_format() == SndIfWire.openFormatOffset)
        #expect(csnd_req_op() + csnd_open_channels() == SndIfWire.openChannelsOffset)
        #expect(csnd_req_op() + csnd_open_buffer_sz() == SndIfWire.openBufferSizeOffset)
        #expect(csnd_req_op() + csnd_open_gref_directory() == SndIfWire.openDirectoryOffset)
        #expect(csnd_req_op() + csnd_open_period_sz() == SndIfWire.openPeriodSizeOffset)
        #expect(csnd_req_op() + csnd_rw_length() == SndIfWire.rwLengthOffset)
        #expect(csnd_req_op() + csnd_hw_rates() == SndIfWire.hwRatesOffset)
        #expect(csnd_req_op() + csnd_hw_channels() == SndIfWire.hwChannelsOffset)
        #expect(csnd_req_op() + csnd_hw_buffer() == SndIfWire.hwBufferOffset)
        #expect(csnd_req_op() + csnd_hw_period() == SndIfWire.hwPeriodOffset)
        #expect(csnd_evt_op() == SndIfWire.eventPositionOffset)
        #expect(csnd_event_in_prod() == SndIfWire.eventInProdOffset)
        #expect(csnd_in_ring_offs() == SndIfWire.eventRingOffset)
        #expect(csnd_in_ring_len() == Int(SndIfWire.eventRingLength))
        let geometry = try RingGeometry(requestSize: SndIfWire.packetSize, responseSize: SndIfWire.packetSize)
        #expect(geometry.entries == csnd_ring_size())
        #expect(csnd_op_hw_param_query() == Int32(SndIfWire.opHwParamQuery))
        #expect(csnd_op_trigger() == Int32(SndIfWire.opTrigger))
        #expect(csnd_op_unmute() == Int32(SndIfWire.opUnmute))
        #expect(csnd_trigger_resume() == Int32(SndIfWire.triggerResume))
        #expect(csnd_format_gsm() == Int32(PCMFormat.gsm.rawValue))
        #expect(csnd_format_f64_be() == Int32(PCMFormat.f64BE.rawValue))
        #expect(PCMFormat(name: "float64_be") == .f64BE)
        #expect(PCMFormat(name: "s24_le") == .s24LE)
        #expect(PCMFormat(name: "s17") == nil)
    }

    @Test func requestsRoundTripThroughBytes() {
        let requests = [
            SndRequest(id: 0xBEEF, operation: SndIfWire.opOpen,
                       body: .open(format: .s32LE, rate: 44100, channels: 6, bufferBytes: 0x12345678, directory: 0xCAFE, periodBytes: 4096)),
            SndRequest(id: 1, operation: SndIfWire.opWrite, body: .range(offset: 0xFFFF_FFFF, length: 7)),
            SndRequest(id: 2, operation: SndIfWire.opMute, body: .range(offset: 3, length: 2)),
            SndRequest(id: 3, operation: SndIfWire.opTrigger, body: .trigger(type: SndIfWire.triggerResume)),
            SndRequest(id: 4, operation: SndIfWire.opHwParamQuery,
                       body: .query(PCMRanges(formats: 0x8000_0000_0000_0004, rates: PCMInterval(min: 1, max: 2),
                                              channels: PCMInterval(min: 3, max: 4), bufferFrames: PCMInterval(min: 5, max: 6),
                                              periodFrames: PCMInterval(min: 7, max: 8)))),
            SndRequest(id: 5, operation: SndIfWire.opClose, body: .close),
            SndRequest(id: 6, operation: 200, body: .unknown),
        ]
        var bytes = [UInt8](repeating: 0xFF, count: SndIfWire.packetSize)
        for request in requests {
            let decoded = bytes.withUnsafeMutableBytes { raw in
                request.encode(into: raw)
                return SndRequest(decoding: UnsafeRawBufferPointer(raw))
            }
            #expect(decoded == request)
        }
    }

    @Test func responseCarriesANegativeStatusAndRanges() {
        let response = SndResponse(id: 9, operation: SndIfWire.opHwParamQuery, status: -22,
                                   ranges: PCMRanges(formats: 4, rates: PCMInterval(min: 8000, max: 48000), channels: PCMInterval(min: 1, max: 2),
                                                     bufferFrames: PCMInterval(min: 64, max: 8192), periodFrames: PCMInterval(min: 16, max: 4096)))
        var bytes = [UInt8](repeating: 0, count: SndIfWire.packetSize)
        let decoded = bytes.withUnsafeMutableBytes { raw in
            response.encode(into: raw)
            return SndResponse(decoding: UnsafeRawBufferPointer(raw))
        }
        #expect(decoded == response)
        #expect(bytes[4] == 0xEA && bytes[7] == 0xFF)  // -22 little-endian
    }
}
