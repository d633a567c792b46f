// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import XenCore
import XenSimulator

/// How a ring.h protocol backend (sndif, displif, usbif) plugs into the core:
/// a minimal "doubler" device whose frontend shares one ring page (`ring-ref`,
/// `event-channel`) and sends 8-byte numbers the backend answers doubled.
@Suite struct RingDeviceTests {
    final class DoublerDevice: XenDevice {
        var ring: BackRing?
        var port: Port?
        var answered = 0

        func publish(_ link: XenbusLink<SimulatedPlatform>) throws(XenError) {
            try link.writeBackend("feature-doubling", "1")
        }

        func connect(_ link: XenbusLink<SimulatedPlatform>) throws(XenError) {
            let ref = try link.requireFrontendUInt32("ring-ref")
            let remote = try link.requireFrontendUInt32("event-channel")
            let mapping = try link.map(refs: [GrantRef(ref)], writable: true)
            port = try link.bind(remotePort: Port(remote))
            ring = BackRing(pages: mapping.address, geometry: try RingGeometry(requestSize: 8, responseSize: 8))
        }

        func handleEvent(_ link: XenbusLink<SimulatedPlatform>, port: Port) throws(XenError) -> Bool {
            guard var ring else { return false }
            defer { self.ring = ring }
            repeat {
                while let value = try ring.nextRequest(UInt64.self) {
                    _ = ring.putResponse(value &* 2)
                    answered += 1
                }
                if ring.pushResponses() { try link.notify(port) }
            } while try ring.finalCheckForRequests()
            return false
        }

        func disconnect(_ link: XenbusLink<SimulatedPlatform>) {
            ring = nil
            port = nil
        }
    }

    final class DoublerFactory: XenDeviceFactory {
        var devices: [DoublerDevice] = []
        var deviceType: String { "vdoubler" }
        func makeDevice(_ link: XenbusLink<SimulatedPlatform>) -> DoublerDevice {
            let device = DoublerDevice()
            devices.append(device)
            return device
        }
        func deviceRetired(_ device: DoublerDevice) { devices.removeAll { $0 === device } }
    }

    final class DoublerFrontend: PollSource {
        let bus: SimulatedFrontendBus
        var ring: FrontRing?
        var port: Port?
        var page: UnsafeMutableRawPointer?
        var answers: [UInt64] = []
        init(bus: SimulatedFrontendBus) { self.bus = bus }

        func appendPollDescriptors(to descriptors: inout [Int32]) { bus.appendPollDescriptors(to: &descriptors) }

        func handleReady(_ fd: Int32) {
            if bus.takeWatchEvents(), bus.backendState() == .initWait, ring == nil {
                let (page, ref) = bus.allocateGrantedPage()
                self.page = page
                ring = FrontRing(initialising: page, geometry: try! RingGeometry(requestSize: 8, responseSize: 8))
                port = try? bus.allocatePort()
                try? bus.write("ring-ref", ref.description)
                try? bus.write("event-channel", port!.description)
                try? bus.setState(.initialised)
            }
            if !bus.takePendingPorts().isEmpty, var current = ring {
                var value: UInt64 = 0
                repeat {
                    while (try? withUnsafeMutableBytes(of: &value, { try current.nextResponse(into: $0) })) == true {
                        answers.append(value)
                    }
                } while current.finalCheckForResponses()  // re-arm rsp_event, or the backend will not notify again
                ring = current
            }
        }

        func send(_ values: [UInt64]) throws {
            guard var current = ring, let port else { return }
            for var value in values { _ = withUnsafeBytes(of: &value) { current.putRequest($0) } }
            let notify = current.pushRequests()
            ring = current
            if notify { try bus.notify(port) }
        }
    }

    func setUp() throws -> (XenSimulator, XenBackend<DoublerFactory>, DoublerFrontend, PollLoop) {
        let simulator = XenSimulator()
        let backend = XenBackend(platform: simulator.platform(for: DomainID(1)), factory: DoublerFactory(), log: .discard)
        let toolstack = SimulatedToolstack(simulator: simulator)
        let paths = try toolstack.createDevice(type: "vdoubler", backend: DomainID(1), frontend: DomainID(5), devid: 0)
        let bus = try SimulatedFrontendBus(simulator: simulator, domain: DomainID(5), frontendPath: paths.frontend)
        let frontend = DoublerFrontend(bus: bus)
        let loop = PollLoop()
        loop.add(backend)
        loop.add(frontend)
        try backend.start()
        try bus.watchBackend()
        try loop.runUntilIdle()
        return (simulator, backend, frontend, loop)
    }

    @Test func requestsAreAnsweredThroughTheCore() throws {
        let (simulator, backend, frontend, loop) = try setUp()
        #expect(backend.links.first?.state == .connected)
        try frontend.send([1, 2, 3])
        try loop.runUntilIdle()
        try frontend.send(Array(10..<40))
        try loop.runUntilIdle()
        #expect(frontend.answers == [2, 4, 6] + (10..<40).map { $0 * 2 })
        backend.shutdown()
        try loop.runUntilIdle()
        #expect(simulator.leakReport().isEmpty)
    }

    @Test func runawayProducerClosesOnlyThatFrontend() throws {
        let (simulator, backend, frontend, loop) = try setUp()
        let page = try #require(frontend.page)
        SharedMemory.store32(page, 1_000_000)  // req_prod far beyond the ring
        try frontend.bus.notify(try #require(frontend.port))
        try loop.runUntilIdle()
        #expect(backend.links.first?.state == .closing)
        #expect(simulator.leakReport().isEmpty)
    }
}
