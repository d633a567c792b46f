// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore

/// XENDISPL_OP_PG_FLIP and the XENDISPL_EVT_PG_FLIP event, without and with vsync.
@Suite struct FlipTests {
    @Test func flipShowsTheFrameAndSendsTheEventAfterTheResponse() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        let second = try fixture.createBuffer(cookie: 2, width: 64, height: 48) { _, _ in 0x00AB_CDEF }
        _ = second
        try fixture.attach(fb: 12, dbuf: 2, width: 64, height: 48)
        #expect(try fixture.status(.pageFlip(fbCookie: 12)) == 0)
        #expect(fixture.left.flipEvents() == [12])
        #expect(fixture.sink.calls.last?.hasPrefix("flip Virtual-1") == true)
        #expect(fixture.sink.pictures.last?.pixels.allSatisfy { $0 == 0xABCDEF } == true)
        #expect(fixture.device?.connectors[0].config?.fbCookie == 12)
    }

    @Test func flipCopiesTheBufferAtTheTimeOfTheRequest() throws {
        let fixture = try DisplFixture()
        let buffer = try fixture.showLeft { _, _ in 1 }
        buffer.fill(width: 64, height: 48, pitch: 256) { _, _ in 2 }
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0)
        buffer.fill(width: 64, height: 48, pitch: 256) { _, _ in 3 }
        #expect(fixture.sink.pictures.map { $0.pixels[100] } == [1, 2])
    }

    @Test func eventIdsCountUp() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        for _ in 0..<3 { #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0) }
        #expect(fixture.left.flipEvents() == [11, 11, 11])
        #expect(fixture.device?.connectors[0].flipEventsSent == 3)
    }

    @Test func flipWithoutConfigurationIsEINVAL() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 64, height: 48)
        try fixture.attach(fb: 11, dbuf: 1, width: 64, height: 48)
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == -22)
        #expect(fixture.left.flipEvents().isEmpty)
    }

    @Test func flipOfUnknownFramebufferIsENOENT() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        #expect(try fixture.status(.pageFlip(fbCookie: 99)) == -2)
        #expect(try fixture.status(.pageFlip(fbCookie: 0)) == -22)
        #expect(fixture.left.flipEvents().isEmpty)
    }

    @Test func flipSinkFailureIsEIOWithoutEvent() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        fixture.sink.failNext = .sinkFailed(output: "Virtual-1", step: "page flip", errno: 16)
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == -5)
        #expect(fixture.left.flipEvents().isEmpty)
    }

    @Test func smallerFramebufferIsClippedNotOverread() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        try fixture.createBuffer(cookie: 2, width: 8, height: 4)
        try fixture.attach(fb: 12, dbuf: 2, width: 8, height: 4)
        #expect(try fixture.status(.pageFlip(fbCookie: 12)) == 0)
        let picture = try #require(fixture.sink.pictures.last)
        #expect(picture.width == 8 && picture.height == 4)
    }

    @Test func vsyncSendsTheEventOnlyAfterTheVerticalBlank() throws {
        let fixture = try DisplFixture(vsync: true)
        try fixture.showLeft()
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0)
        #expect(fixture.left.flipEvents().isEmpty)
        #expect(fixture.device?.connectors[0].pendingFlips == 1)
        fixture.sink.vblank()
        try fixture.scenario.run()
        #expect(fixture.left.flipEvents() == [11])
        #expect(fixture.device?.connectors[0].pendingFlips == 0)
    }

    @Test func vsyncFlipsOfBothConnectorsReachTheirOwnEventPages() throws {
        let fixture = try DisplFixture(vsync: true)
        try fixture.showLeft()
        try fixture.createBuffer(cookie: 2, width: 32, height: 24)
        try fixture.attach(fb: 22, dbuf: 2, width: 32, height: 24)
        #expect(try fixture.status(.setConfig(fbCookie: 22, x: 0, y: 0, width: 32, height: 24, bpp: 32), on: fixture.right) == 0)
        #expect(try fixture.status(.pageFlip(fbCookie: 22), on: fixture.right) == 0)
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0)
        fixture.sink.vblank()
        try fixture.scenario.run()
        #expect(fixture.left.flipEvents() == [11])
        #expect(fixture.right.flipEvents() == [22])
    }

    @Test func vsyncWaitingFlipsAreBounded() throws {
        let fixture = try DisplFixture(vsync: true)
        try fixture.showLeft()
        for _ in 0..<16 { #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0) }
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == -12)
    }

    @Test func resetCompletesWaitingFlips() throws {
        let fixture = try DisplFixture(vsync: true)
        try fixture.showLeft()
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0)
        #expect(try fixture.status(.setConfig(fbCookie: 0, x: 0, y: 0, width: 0, height: 0, bpp: 0)) == 0)
        #expect(fixture.left.flipEvents() == [11])
        fixture.sink.vblank()
        try fixture.scenario.run()
        #expect(fixture.left.flipEvents().isEmpty, "no second event for the same flip")
    }

    @Test func completionAfterTheFrontendLeftIsDropped() throws {
        let fixture = try DisplFixture(vsync: true)
        try fixture.showLeft()
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0)
        try fixture.frontend.disconnect()
        try fixture.scenario.run()
        fixture.sink.vblank()
        try fixture.scenario.run()
        #expect(fixture.scenario.simulator.leakReport().isEmpty)
    }

    @Test func fullEventPageDropsEventsButKeepsServing() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        for _ in 0..<Int(DisplIfWire.eventRingLength) + 3 { #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0) }
        #expect(fixture.device?.connectors[0].flipEventsDropped == 3)
        #expect(fixture.left.flipEvents().count == Int(DisplIfWire.eventRingLength))
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .connected)
    }

    @Test func scribbledEventConsumerClosesOnlyThatFrontend() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        SharedMemory.store32(fixture.left.eventPage + DisplIfWire.eventInConsOffset, 0x8000_0000)
        _ = try fixture.left.send(DisplRequest(.pageFlip(fbCookie: 11)))
        try fixture.scenario.run()
        #expect(fixture.scenario.backendState(frontend: fixture.domain) == .closing)
        #expect(fixture.scenario.simulator.liveMappingCount == 0)
    }
}
