// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import UsbIfSimulation
import XenCore
import XenSimulator

/// A connected 8-port USB 2.0 controller of domain 2 with a high-speed host
/// device `1-1` on port 1, enumerated by the guest at address `address`.
final class UsbFixture {
    let scenario: UsbScenario
    let frontend: SimulatedUsbFrontend
    let domain = DomainID(2)
    static let busID = UsbBusID("1-1")!
    let address: UInt8 = 5
    private var nextID: UInt16 = 0

    init(options: UsbIfOptions = UsbIfOptions(), enumerate: Bool = true) throws {
        scenario = UsbScenario(options: options)
        scenario.host.plug(Self.busID, speed: .high)
        try scenario.start()
        frontend = try scenario.addController(domain: domain, ports: [1: "1-1"])
        try scenario.run()
        try frontend.connect()
        try scenario.run()
        let events = try frontend.connEvents()
        try #require(events.count == 1 && events[0].port == 1 && events[0].speed == UsbSpeed.high.rawValue)
        if enumerate {
            let response = try send(UrbRequest(id: 0, pipe: UsbPipe(port: 1, device: 0, endpoint: 0, isIn: false, type: .control),
                                               specific: Self.setup(0x00, UsbIfWire.requestSetAddress, value: UInt16(address))))
            try #require(response?.status == 0)
        }
    }

    var device: UsbDevice<SimulatedPlatform, RecordingUSBHost> { scenario.device(frontend: domain)! }
    var host: RecordingUSBHost { scenario.host }

    /// A fresh request id.
    func id() -> UInt16 {
        nextID &+= 1
        return nextID
    }

    /// Sends `request` (its id replaced by a fresh one), runs the simulation
    /// and returns the one response, or nil if none came (the URB is at the host).
    func send(_ request: UrbRequest) throws -> UrbResponse? {
        var copy = request
        copy.id = id()
        try frontend.submit(copy)
        try scenario.run()
        let responses = try frontend.responses()
        try #require(responses.count <= 1, "expected at most one response, got \(responses.count)")
        if let response = responses.first { #expect(response.id == copy.id) }
        return responses.first
    }

    /// A bulk/interrupt/control pipe on port 1 at the enumerated address.
    func pipe(endpoint: UInt8, isIn: Bool, type: UsbTransferType) -> UsbPipe {
        UsbPipe(port: 1, device: address, endpoint: endpoint, isIn: isIn, type: type)
    }

    /// An 8-byte setup packet.
    static func setup(_ type: UInt8, _ request: UInt8, value: UInt16 = 0, index: UInt16 = 0, length: UInt16 = 0) -> [UInt8] {
        [type, request, UInt8(value & 0xFF), UInt8(value >> 8), UInt8(index & 0xFF), UInt8(index >> 8),
         UInt8(length & 0xFF), UInt8(length >> 8)]
    }

    /// Completes the one transfer at the host and returns the frontend's response.
    func completeOnly(status: UsbStatus, data: [UInt8] = [], actualLength: Int? = nil,
                      isoPackets: [USBIsoPacketResult] = []) throws -> UrbResponse {
        try #require(host.inFlight.count == 1)
        host.complete(host.inFlight[0].token, status: status, data: data, actualLength: actualLength, isoPackets: isoPackets)
        try scenario.run()
        let responses = try frontend.responses()
        try #require(responses.count == 1)
        return responses[0]
    }
}

/// A test pattern: `SeededRandom.pattern` (differs at every offset).
func pattern(_ count: Int, seed: UInt32 = 1) -> [UInt8] { SeededRandom.pattern(count, seed: seed) }
