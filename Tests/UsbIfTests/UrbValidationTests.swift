// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore
import XenSimulator

/// URBs a hostile frontend shapes to read backend memory or to reconfigure a
/// device behind the backend's back are refused before they reach the host.
@Suite struct UrbValidationTests {
    /// The pipe's direction and `bmRequestType` bit 7 disagree: an OUT data
    /// stage from an IN pipe would send a buffer nobody filled.
    @Test(arguments: [(true, UInt8(0x40)), (false, UInt8(0xC0)), (true, UInt8(0x21)), (false, UInt8(0x80))])
    func controlDirectionMustMatchTheSetupPacket(pipeIn: Bool, requestType: UInt8) throws {
        let fixture = try UsbFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 64)
        let request = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 0, isIn: pipeIn, type: .control), bufferLength: 64,
                                 specific: UsbFixture.setup(requestType, 0x01, length: 64), segments: buffer.segments)
        let response = try #require(try fixture.send(request), "the URB reached the host")
        #expect(response.status != 0)
        #expect(fixture.host.submitted.isEmpty)
    }

    /// SET_ADDRESS, SET_CONFIGURATION, SET_INTERFACE and CLEAR_FEATURE are
    /// recognised by their request code whatever the direction bit says; with
    /// bit 7 set they are malformed and refused.
    @Test(arguments: [(UInt8(0x80), UInt8(5)), (UInt8(0x80), UInt8(9)), (UInt8(0x81), UInt8(11)), (UInt8(0x82), UInt8(1))])
    func standardRequestsWithTheDirectionBitAreRefused(requestType: UInt8, code: UInt8) throws {
        let fixture = try UsbFixture()
        let request = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 0, isIn: true, type: .control),
                                 specific: UsbFixture.setup(requestType, code, value: 1))
        let response = try #require(try fixture.send(request), "the URB reached the host")
        #expect(response.status != 0)
        #expect(fixture.host.submitted.isEmpty)
        #expect(fixture.device.port(address: fixture.address) == 1)
    }

    /// Isochronous packets may not overlap, and together they may not ask
    /// for more than the buffer holds.
    @Test(arguments: [[(UInt32(0), UInt32(192)), (0, 192), (0, 192)], [(0, 600), (0, 600), (0, 600)],
                      [(0, 300), (200, 300)]])
    func isochronousPacketsMayNotOverlapOrExceedTheBuffer(packets: [(UInt32, UInt32)]) throws {
        let fixture = try UsbFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 600)
        let descriptors = fixture.frontend.allocateBuffer(byteCount: packets.count * 16, offset: 64)
        var table: [UInt8] = []
        for (offset, length) in packets {
            for value in [offset, length, 0, 0] { table += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), 0, 0] }
        }
        descriptors.write(table)
        var request = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 4, isIn: false, type: .isochronous), bufferLength: 600,
                                 specific: UrbRequest.isoSpecific(interval: 1, startFrame: 0, packets: UInt16(packets.count),
                                                                  descriptorSegments: 1),
                                 segments: buffer.segments + descriptors.segments)
        request.segmentCount = UInt16(buffer.segments.count)
        let response = try #require(try fixture.send(request), "the URB reached the host")
        #expect(response.status != 0)
        #expect(fixture.host.submitted.isEmpty)
        #expect(fixture.scenario.simulator.liveMappingCount == 2)  // the two ring pages only
    }
}
