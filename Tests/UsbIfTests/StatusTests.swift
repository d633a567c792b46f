// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore

/// One scenario per URB status the backend answers (`USBIF_STATUS_*`).
@Suite struct StatusTests {
    @Test func okForAFinishedTransfer() throws {
        let fixture = try UsbFixture()
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: false, type: .bulk))) == nil)
        #expect(try fixture.completeOnly(status: .ok).status == UsbStatus.ok.rawValue)
    }

    @Test func noDeviceForAnEmptyPortAnUnknownAddressAndAnUnpluggedDevice() throws {
        let fixture = try UsbFixture()
        let emptyPort = UrbRequest(id: 0, pipe: UsbPipe(port: 2, device: 0, endpoint: 0, isIn: true, type: .control),
                                   specific: UsbFixture.setup(0x80, UsbIfWire.requestGetDescriptor))
        #expect(try fixture.send(emptyPort)?.status == UsbStatus.noDevice.rawValue)
        let unknownAddress = UrbRequest(id: 0, pipe: UsbPipe(port: 1, device: 77, endpoint: 1, isIn: false, type: .bulk))
        #expect(try fixture.send(unknownAddress)?.status == UsbStatus.noDevice.rawValue)
        let bulkToAddressZero = UrbRequest(id: 0, pipe: UsbPipe(port: 1, device: 0, endpoint: 1, isIn: false, type: .bulk))
        #expect(try fixture.send(bulkToAddressZero)?.status == UsbStatus.noDevice.rawValue)
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: true, type: .bulk))) == nil)
        fixture.host.unplug(UsbFixture.busID)
        try fixture.scenario.run()
        let responses = try fixture.frontend.responses()
        #expect(responses.count == 1 && responses[0].status == UsbStatus.noDevice.rawValue)  // the host lost it
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: true, type: .bulk)))?.status
                == UsbStatus.noDevice.rawValue)
        #expect(fixture.host.submitted.count == 1)
    }

    @Test func invalidForMalformedRequests() throws {
        let fixture = try UsbFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 100)
        let bulk = fixture.pipe(endpoint: 1, isIn: false, type: .bulk)
        var tooMany = UrbRequest(id: 0, pipe: bulk, bufferLength: 100, segments: buffer.segments)
        tooMany.segmentCount = 17
        var crossing = UrbRequest(id: 0, pipe: bulk, bufferLength: 100, segments: buffer.segments)
        crossing.segments[0].offset = 4000
        let mismatch = UrbRequest(id: 0, pipe: bulk, bufferLength: 99, segments: buffer.segments)
        let badPort = UrbRequest(id: 0, pipe: UsbPipe(port: 9, device: fixture.address, endpoint: 1, isIn: false, type: .bulk))
        let portZero = UrbRequest(id: 0, pipe: UsbPipe(port: 0, device: fixture.address, endpoint: 1, isIn: false, type: .bulk))
        let vendorAtZero = UrbRequest(id: 0, pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: false, type: .control),
                                      specific: UsbFixture.setup(0x40, 0x01))
        let addressTooHigh = UrbRequest(id: 0, pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: false, type: .control),
                                        specific: UsbFixture.setup(0x00, UsbIfWire.requestSetAddress, value: 200))
        let isoWithoutDescriptors = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 2, isIn: true, type: .isochronous),
                                               bufferLength: 100,
                                               specific: UrbRequest.isoSpecific(interval: 1, startFrame: 0, packets: 1, descriptorSegments: 0),
                                               segments: buffer.segments)
        for request in [tooMany, crossing, mismatch, badPort, portZero, vendorAtZero, addressTooHigh, isoWithoutDescriptors] {
            #expect(try fixture.send(request)?.status == UsbStatus.invalid.rawValue)
        }
        #expect(fixture.host.submitted.isEmpty)
        #expect(fixture.scenario.simulator.liveMappingCount == 2)
    }

    @Test func invalidForAnIdAlreadyInFlight() throws {
        let fixture = try UsbFixture()
        let request = UrbRequest(id: 3, pipe: fixture.pipe(endpoint: 1, isIn: true, type: .bulk))
        try fixture.frontend.submit(request)
        try fixture.frontend.submit(request)
        try fixture.scenario.run()
        #expect(try fixture.frontend.responses() == [UrbResponse(id: 3, status: UsbStatus.invalid.rawValue)])
        #expect(fixture.host.inFlight.count == 1)
    }

    @Test(arguments: [UsbStatus.stall, .ioError, .babble, .noDevice])
    func hostErrorsReachTheGuest(status: UsbStatus) throws {
        let fixture = try UsbFixture()
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: true, type: .bulk))) == nil)
        let response = try fixture.completeOnly(status: status)
        #expect(response.status == status.rawValue && response.actualLength == 0)
    }

    @Test func shutdownForAnUnmappableBufferAndARefusedSubmit() throws {
        let fixture = try UsbFixture()
        let bad = UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: false, type: .bulk), bufferLength: 16,
                             segments: [UsbSegment(ref: GrantRef(123456), offset: 0, length: 16)])
        #expect(try fixture.send(bad)?.status == UsbStatus.shutdown.rawValue)
        fixture.host.submitFailures = [-1]
        #expect(try fixture.send(UrbRequest(id: 0, pipe: fixture.pipe(endpoint: 1, isIn: false, type: .bulk)))?.status
                == UsbStatus.shutdown.rawValue)
        #expect(fixture.scenario.simulator.liveMappingCount == 2)
    }
}

/// A frontend sending nothing but bad requests cannot flood the backend's log.
@Suite struct RequestLogTests {
    @Test func refusedRequestsAreLoggedUpToALimitPerConnection() throws {
        let fixture = try UsbFixture()
        let before = fixture.scenario.log.count
        for _ in 0..<100 {
            let response = try fixture.send(UrbRequest(id: 0, pipe: UsbPipe(port: 30, device: 1, endpoint: 1, isIn: true, type: .bulk)))
            #expect(response?.status == UsbStatus.invalid.rawValue)
        }
        let lines = fixture.scenario.log.dropFirst(before)
        #expect(lines.count == 65)
        #expect(lines.last?.contains("not logged until the frontend connects again") == true)
    }
}
