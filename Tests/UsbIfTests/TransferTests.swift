// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore

/// One scenario per URB request type: what reaches the host, what the guest gets back.
@Suite struct TransferTests {
    @Test func getDescriptorAtAddressZeroGoesToThePortsDevice() throws {
        let fixture = try UsbFixture(enumerate: false)
        let buffer = fixture.frontend.allocateBuffer(byteCount: 18, offset: 100)
        let setup = UsbFixture.setup(0x80, UsbIfWire.requestGetDescriptor, value: 0x0100, length: 18)
        let pending = try fixture.send(UrbRequest(id: 0, pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: true, type: .control),
                                                  bufferLength: 18, specific: setup, segments: buffer.segments))
        #expect(pending == nil)
        let transfer = try #require(fixture.host.inFlight.first)
        #expect(transfer.type == .control && transfer.isIn && transfer.setup == setup && transfer.length == 18)
        let descriptor = pattern(18)
        let response = try fixture.completeOnly(status: .ok, data: descriptor)
        #expect(response.status == 0 && response.actualLength == 18)
        #expect(buffer.read(count: 18) == descriptor)
        #expect(fixture.scenario.simulator.liveMappingCount == 2)  // only the rings
    }

    @Test func setAddressIsCarriedOutByTheBackend() throws {
        let fixture = try UsbFixture(enumerate: false)
        let response = try fixture.send(UrbRequest(id: 0, pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: false, type: .control),
                                                   specific: UsbFixture.setup(0x00, UsbIfWire.requestSetAddress, value: 9)))
        #expect(response?.status == 0)
        #expect(fixture.host.submitted.isEmpty)
        #expect(fixture.device.port(address: 9) == 1)
        let again = try fixture.send(UrbRequest(id: 0, pipe: UsbPipe(port: 1, device: 9, endpoint: 0, isIn: false, type: .control),
                                                specific: UsbFixture.setup(0x00, UsbIfWire.requestSetAddress, value: 12)))
        #expect(again?.status == 0)
        #expect(fixture.device.port(address: 9) == 0)
        #expect(fixture.device.port(address: 12) == 1)
    }

    @Test func controlOutCarriesItsDataAndSetup() throws {
        let fixture = try UsbFixture()
        let data = pattern(40)
        let buffer = fixture.frontend.allocateBuffer(byteCount: 40, offset: 4080)  // straddles a page boundary
        buffer.write(data)
        let setup = UsbFixture.setup(0x41, 0x33, value: 1, index: 2, length: 40)
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 0, isIn: false, type: .control), bufferLength: 40,
                                            specific: setup, segments: buffer.segments)) == nil)
        let transfer = try #require(fixture.host.inFlight.first)
        #expect(transfer.data == data && transfer.setup == setup && !transfer.isIn && transfer.endpoint == 0)
        let response = try fixture.completeOnly(status: .ok)
        #expect(response.status == 0 && response.actualLength == 40)
    }

    @Test func bulkOutSendsEveryByteOfEverySegment() throws {
        let fixture = try UsbFixture()
        let data = pattern(20000, seed: 7)
        let buffer = fixture.frontend.allocateBuffer(byteCount: data.count, offset: 1000)
        buffer.write(data)
        #expect(buffer.segments.count == 6)
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 2, isIn: false, type: .bulk),
                                            bufferLength: UInt16(data.count), segments: buffer.segments)) == nil)
        let transfer = try #require(fixture.host.inFlight.first)
        #expect(transfer.type == .bulk && transfer.endpoint == 2 && transfer.data == data)
        let response = try fixture.completeOnly(status: .ok)
        #expect(response.status == 0 && response.actualLength == Int32(data.count))
    }

    @Test func bulkInReturnsAShortRead() throws {
        let fixture = try UsbFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 8192, offset: 512)
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: true, type: .bulk),
                                            transferFlags: UsbIfWire.shortNotOK, bufferLength: 8192, segments: buffer.segments)) == nil)
        let transfer = try #require(fixture.host.inFlight.first)
        #expect(transfer.isIn && transfer.length == 8192 && transfer.shortNotOK && transfer.data.isEmpty)
        let data = pattern(5000, seed: 3)
        let response = try fixture.completeOnly(status: .ok, data: data)
        #expect(response.status == 0 && response.actualLength == 5000)
        #expect(buffer.read(count: 5000) == data)
    }

    @Test func interruptInIsForwarded() throws {
        let fixture = try UsbFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 8)
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 3, isIn: true, type: .interrupt), bufferLength: 8,
                                            specific: [10, 0, 0, 0, 0, 0, 0, 0], segments: buffer.segments)) == nil)
        let transfer = try #require(fixture.host.inFlight.first)
        #expect(transfer.type == .interrupt && transfer.endpoint == 3)
        let response = try fixture.completeOnly(status: .ok, data: [1, 2, 3, 4])
        #expect(response.actualLength == 4 && buffer.read(count: 4) == [1, 2, 3, 4])
    }

    /// Three packets at their own offsets; descriptors in a separate segment.
    func isoRequest(_ fixture: UsbFixture, isIn: Bool) -> (UrbRequest, SimulatedUsbBuffer, SimulatedUsbBuffer) {
        let buffer = fixture.frontend.allocateBuffer(byteCount: 600)
        let descriptors = fixture.frontend.allocateBuffer(byteCount: 48, offset: 64)
        var table: [UInt8] = []
        for (offset, length) in [(0, 192), (200, 192), (400, 192)] as [(UInt32, UInt32)] {
            for value in [offset, length, 0, 0] { table += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), 0, 0] }
        }
        descriptors.write(table)
        let request = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 4, isIn: isIn, type: .isochronous), bufferLength: 600,
                                 specific: UrbRequest.isoSpecific(interval: 1, startFrame: 0, packets: 3, descriptorSegments: 1),
                                 segments: buffer.segments + descriptors.segments)
        var fixed = request
        fixed.segmentCount = UInt16(buffer.segments.count)
        return (fixed, buffer, descriptors)
    }

    @Test func isochronousInPlacesEachPacketAndItsResult() throws {
        let fixture = try UsbFixture()
        let (request, buffer, descriptors) = isoRequest(fixture, isIn: true)
        #expect(try fixture.send(request) == nil)
        let transfer = try #require(fixture.host.inFlight.first)
        #expect(transfer.type == .isochronous && transfer.isoPacketLengths == [192, 192, 192] && transfer.length == 576)
        let data = pattern(576, seed: 11)
        let response = try fixture.completeOnly(status: .ok, data: data, isoPackets: [
            USBIsoPacketResult(actualLength: 192, status: .ok), USBIsoPacketResult(actualLength: 100, status: .ok),
            USBIsoPacketResult(actualLength: 0, status: .ioError),
        ])
        #expect(response.status == 0 && response.actualLength == 292 && response.errorCount == 1)
        #expect(buffer.read(at: 0, count: 192) == Array(data[0..<192]))
        #expect(buffer.read(at: 200, count: 100) == Array(data[192..<292]))
        let table = descriptors.read(count: 48)
        #expect(table[8] == 192 && table[24] == 100 && table[40] == 0)
        #expect(table[44] == UInt8(bitPattern: Int8(UsbStatus.ioError.rawValue)))
    }

    @Test func isochronousOutGathersPacketsFromTheirOffsets() throws {
        let fixture = try UsbFixture()
        let (request, buffer, _) = isoRequest(fixture, isIn: false)
        let data = pattern(600, seed: 5)
        buffer.write(data)
        #expect(try fixture.send(request) == nil)
        let transfer = try #require(fixture.host.inFlight.first)
        #expect(transfer.data == Array(data[0..<192]) + Array(data[200..<392]) + Array(data[400..<592]))
        let response = try fixture.completeOnly(status: .ok, isoPackets: [USBIsoPacketResult](repeating: USBIsoPacketResult(actualLength: 192, status: .ok), count: 3))
        #expect(response.status == 0 && response.actualLength == 576 && response.errorCount == 0)
    }

    @Test func unlinkCancelsAnInFlightURB() throws {
        let fixture = try UsbFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 64)
        let urb = UrbRequest(id: 40, pipe: fixture.pipe(endpoint: 1, isIn: true, type: .interrupt), bufferLength: 64, segments: buffer.segments)
        try fixture.frontend.submit(urb)
        try fixture.scenario.run()
        #expect(try fixture.frontend.responses().isEmpty)
        let token = try #require(fixture.host.inFlight.first).token
        var unlinkPipe = fixture.pipe(endpoint: 1, isIn: true, type: .interrupt)
        unlinkPipe.rawValue |= 0x20
        try fixture.frontend.submit(UrbRequest(id: 41, pipe: unlinkPipe, specific: UrbRequest.unlinkSpecific(40)))
        try fixture.scenario.run()
        let responses = try fixture.frontend.responses()
        #expect(fixture.host.cancelledTokens == [token])
        #expect(responses.contains(UrbResponse(id: 41, status: 0)))
        #expect(responses.contains(UrbResponse(id: 40, status: UsbStatus.shutdown.rawValue)))
        #expect(responses.count == 2)
        #expect(fixture.scenario.simulator.liveMappingCount == 2)
    }

    @Test func maxUrbsCountsPerDevice() throws {
        let scenario = UsbScenario(options: UsbIfOptions(maxUrbs: 1))
        scenario.host.plug(UsbBusID("1-1")!)
        scenario.host.plug(UsbBusID("1-2")!)
        try scenario.start()
        let frontend = try scenario.addController(domain: DomainID(2), ports: [1: "1-1", 2: "1-2"])
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        let getDescriptor = UsbFixture.setup(0x80, UsbIfWire.requestGetDescriptor)
        for (id, port) in [(UInt16(1), UInt8(1)), (2, 1), (3, 2)] {
            try frontend.submit(UrbRequest(id: id, pipe: UsbPipe(port: port, device: 0, endpoint: 0, isIn: true, type: .control),
                                           specific: getDescriptor))
        }
        try scenario.run()
        #expect(scenario.host.inFlight.count == 2)  // one per device; the second for port 1 waits
        #expect(scenario.device(frontend: DomainID(2))?.waitingCount == 1)
    }

    @Test func maxUrbsHoldsBackAndUnlinkReachesWaitingURBs() throws {
        let fixture = try UsbFixture(options: UsbIfOptions(maxUrbs: 2))
        for id in [UInt16(10), 11, 12, 13] {
            try fixture.frontend.submit(UrbRequest(id: id, pipe: fixture.pipe(endpoint: 1, isIn: false, type: .bulk)))
        }
        try fixture.scenario.run()
        #expect(fixture.host.inFlight.count == 2)
        #expect(fixture.device.waitingCount == 2)
        var unlinkPipe = fixture.pipe(endpoint: 1, isIn: false, type: .bulk)
        unlinkPipe.rawValue |= 0x20
        try fixture.frontend.submit(UrbRequest(id: 14, pipe: unlinkPipe, specific: UrbRequest.unlinkSpecific(13)))
        try fixture.scenario.run()
        #expect(try fixture.frontend.responses() == [UrbResponse(id: 13, status: UsbStatus.shutdown.rawValue), UrbResponse(id: 14, status: 0)])
        fixture.host.complete(fixture.host.inFlight[0].token, status: .ok)
        try fixture.scenario.run()
        #expect(try fixture.frontend.responses() == [UrbResponse(id: 10, status: 0)])
        #expect(fixture.host.inFlight.count == 2)  // 11, and 12 taken from the waiting list
        #expect(fixture.host.submitted.count == 3)
        #expect(fixture.device.waitingCount == 0)
    }
}

/// A host that reports more than it returns must not make the backend read past its data.
@Suite struct ShortHostDataTests {
    @Test func isochronousInWithLessDataThanReported() throws {
        let fixture = try UsbFixture()
        let (request, buffer, descriptors) = TransferTests().isoRequest(fixture, isIn: true)
        #expect(try fixture.send(request) == nil)
        let response = try fixture.completeOnly(status: .ok, data: pattern(100), isoPackets: [USBIsoPacketResult](
            repeating: USBIsoPacketResult(actualLength: 192, status: .ok), count: 3))
        #expect(response.actualLength == 100)
        #expect(buffer.read(count: 100) == pattern(100))
        #expect(descriptors.read(count: 48)[24] == 0)
    }

    @Test func bulkInWithLessDataThanReported() throws {
        let fixture = try UsbFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 64)
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: true, type: .bulk), bufferLength: 64,
                                            segments: buffer.segments)) == nil)
        let response = try fixture.completeOnly(status: .ok, data: [9, 9], actualLength: 64)
        #expect(response.actualLength == 2)
    }
}
