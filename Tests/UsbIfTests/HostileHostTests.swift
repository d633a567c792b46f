// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import XenSimulator
import UsbIf
import UsbIfSimulation
import XenCore

/// Valid URBs of every type answered by a host that reports anything: any
/// status, more or less data than asked, actual lengths that disagree with
/// the data, too many or too few isochronous results. The guest must always
/// get one response within its buffer, and every mapping must be released.
@Suite struct HostileHostTests {
    static let iterations = 1_500

    @Test func everyCompletionIsAnsweredWithinTheGuestsBuffer() throws {
        let fixture = try UsbFixture()
        var random = SeededRandom(seed: 0xB0575)
        let statuses: [UsbStatus] = [.ok, .stall, .ioError, .babble, .noDevice, .shutdown]
        for iteration in 0..<Self.iterations {
            let isIn = random.next() % 2 == 0
            let length = Int(random.next() % 9000)
            let buffer = fixture.frontend.allocateBuffer(byteCount: length, offset: Int(random.next() % 4096))
            var request: UrbRequest
            switch random.next() % 4 {
            case 0:
                let descriptors = fixture.frontend.allocateBuffer(byteCount: 64)
                let packets = Int(random.next() % 4) + 1
                var table: [UInt8] = []
                for index in 0..<packets {
                    let offset = UInt32(length * index / packets)
                    let size = UInt32(length / packets)
                    for value in [offset, size, 0, 0] {
                        table += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), 0]
                    }
                }
                descriptors.write(table)
                request = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 4, isIn: isIn, type: .isochronous),
                                     bufferLength: UInt16(length),
                                     specific: UrbRequest.isoSpecific(interval: 1, startFrame: 0, packets: UInt16(packets),
                                                                      descriptorSegments: 1),
                                     segments: buffer.segments + descriptors.segments)
                request.segmentCount = UInt16(buffer.segments.count)
            case 1:
                request = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 0, isIn: isIn, type: .control), bufferLength: UInt16(length),
                                     specific: UsbFixture.setup(isIn ? 0xC0 : 0x40, 1, length: UInt16(length)), segments: buffer.segments)
            default:
                request = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: isIn, type: random.next() % 2 == 0 ? .bulk : .interrupt),
                                     bufferLength: UInt16(length), segments: buffer.segments)
            }
            let immediate = try fixture.send(request)
            try #require(immediate == nil, "iteration \(iteration): refused with \(immediate?.status ?? 0)")
            let packets = (0..<Int(random.next() % 7)).map { _ in
                USBIsoPacketResult(actualLength: UInt32(random.next() % 10000), status: statuses[Int(random.next() % 6)])
            }
            let data = [UInt8](repeating: 0xC3, count: Int(random.next() % 12000))
            let claimed = Int(truncatingIfNeeded: Int64(bitPattern: random.next()) % 20000)
            let response = try fixture.completeOnly(status: statuses[Int(random.next() % 6)], data: data, actualLength: claimed,
                                                    isoPackets: packets)
            #expect(response.actualLength >= 0 && Int(response.actualLength) <= length, "iteration \(iteration)")
            #expect(fixture.scenario.simulator.liveMappingCount == 2, "iteration \(iteration): a URB mapping was kept")
        }
    }
}
