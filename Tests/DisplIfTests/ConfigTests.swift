// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore

/// XENDISPL_OP_SET_CONFIG: one test per transition and per status.
@Suite struct ConfigTests {
    @Test func setConfigLightsTheBoundOutputWithTheGuestsPixels() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft { x, y in UInt32(y) << 8 | UInt32(x) | 0xFF00_0000 }
        #expect(fixture.sink.calls == ["enable Virtual-1 64x48"])
        let picture = try #require(fixture.sink.pictures.last)
        #expect(picture.width == 64 && picture.height == 48)
        #expect(picture.pixels[0] == 0)
        #expect(picture.pixels[47 * 64 + 63] == 47 << 8 | 63, "alpha dropped, position kept")
        #expect(fixture.device?.connectors[0].config == ConnectorConfig(fbCookie: 11, x: 0, y: 0, width: 64, height: 48))
    }

    @Test func secondConnectorGoesToItsBoundOutput() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 2, width: 32, height: 24)
        try fixture.attach(fb: 22, dbuf: 2, width: 32, height: 24)
        #expect(try fixture.status(.setConfig(fbCookie: 22, x: 0, y: 0, width: 32, height: 24, bpp: 32), on: fixture.right) == 0)
        #expect(fixture.sink.calls == ["enable HDMI-A-1 32x24"])
    }

    @Test func offsetConfigShowsThePartFromXY() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 64, height: 48)
        try fixture.attach(fb: 11, dbuf: 1, width: 64, height: 48)
        #expect(try fixture.status(.setConfig(fbCookie: 11, x: 10, y: 5, width: 20, height: 10, bpp: 32)) == 0)
        let picture = try #require(fixture.sink.pictures.last)
        #expect(picture.width == 20 && picture.height == 10)
        #expect(picture.pixels[0] == 5 * 256 + 10)
    }

    @Test func resetTurnsTheOutputOff() throws {
        let fixture = try DisplFixture()
        try fixture.showLeft()
        #expect(try fixture.status(.setConfig(fbCookie: 0, x: 0, y: 0, width: 0, height: 0, bpp: 0)) == 0)
        #expect(fixture.sink.calls.last == "disable Virtual-1")
        #expect(fixture.device?.connectors[0].config == nil)
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == -22, "a flip needs a configuration again")
    }

    @Test func resetOfAnOffConnectorIsAccepted() throws {
        let fixture = try DisplFixture()
        #expect(try fixture.status(.setConfig(fbCookie: 0, x: 0, y: 0, width: 0, height: 0, bpp: 0)) == 0)
        #expect(fixture.sink.calls.isEmpty)
    }

    @Test func unknownFramebufferIsENOENT() throws {
        let fixture = try DisplFixture()
        #expect(try fixture.status(.setConfig(fbCookie: 77, x: 0, y: 0, width: 64, height: 48, bpp: 32)) == -2)
    }

    @Test func cookieZeroWithAGeometryIsEINVAL() throws {
        let fixture = try DisplFixture()
        #expect(try fixture.status(.setConfig(fbCookie: 0, x: 0, y: 0, width: 64, height: 48, bpp: 32)) == -22)
    }

    @Test(arguments: [(0, 0, 65, 48), (0, 0, 64, 49), (0, 0, 0, 48), (0, 0, 64, 0), (0xFFFF_FFFF, 0, 2, 2), (64, 0, 1, 1), (0, 48, 1, 1)]
          as [(UInt32, UInt32, UInt32, UInt32)])
    func rectangleOutsideTheFramebufferIsEINVAL(x: UInt32, y: UInt32, width: UInt32, height: UInt32) throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 64, height: 48)
        try fixture.attach(fb: 11, dbuf: 1, width: 64, height: 48)
        #expect(try fixture.status(.setConfig(fbCookie: 11, x: x, y: y, width: width, height: height, bpp: 32)) == -22)
        #expect(fixture.sink.calls.isEmpty)
    }

    /// What xen-drm-front sends: the framebuffer's size, which may exceed the
    /// resolution, and panning offsets; the output shows the resolution.
    @Test func framebufferLargerThanTheResolutionIsShownClipped() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 128, height: 96)
        try fixture.attach(fb: 11, dbuf: 1, width: 128, height: 96)
        #expect(try fixture.status(.setConfig(fbCookie: 11, x: 16, y: 8, width: 128, height: 96, bpp: 32)) == 0)
        #expect(fixture.sink.calls == ["enable Virtual-1 64x48"])
        let picture = try #require(fixture.sink.pictures.last)
        #expect(picture.width == 64 && picture.height == 48)
        #expect(picture.pixels[0] == 8 * 256 + 16)
        #expect(try fixture.status(.pageFlip(fbCookie: 11)) == 0)
        #expect(fixture.sink.pictures.last?.width == 64)
    }

    @Test func bppDifferentFromTheFormatIsEINVAL() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 64, height: 48)
        try fixture.attach(fb: 11, dbuf: 1, width: 64, height: 48)
        #expect(try fixture.status(.setConfig(fbCookie: 11, x: 0, y: 0, width: 64, height: 48, bpp: 16)) == -22)
    }

    @Test func sinkFailureIsEIO() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 64, height: 48)
        try fixture.attach(fb: 11, dbuf: 1, width: 64, height: 48)
        fixture.sink.failNext = .sinkFailed(output: "Virtual-1", step: "set mode", errno: 22)
        #expect(try fixture.status(.setConfig(fbCookie: 11, x: 0, y: 0, width: 64, height: 48, bpp: 32)) == -5)
        #expect(fixture.device?.connectors[0].config == nil)
    }

    @Test func unknownOutputIsENODEV() throws {
        let fixture = try DisplFixture()
        fixture.sink.knownOutputs = ["Virtual-1"]
        try fixture.createBuffer(cookie: 2, width: 32, height: 24)
        try fixture.attach(fb: 22, dbuf: 2, width: 32, height: 24)
        #expect(try fixture.status(.setConfig(fbCookie: 22, x: 0, y: 0, width: 32, height: 24, bpp: 32), on: fixture.right) == -19)
    }

    @Test func rgb565FramebufferIsConverted() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 64 * 48 * 2)
        let pixels = [UInt16](repeating: 0x001F, count: 64 * 48)
        pixels.withUnsafeBytes { buffer.write($0, at: 0) }
        #expect(try fixture.status(.dbufCreate(dbufCookie: 1, width: 64, height: 48, bpp: 16, bufferBytes: 64 * 48 * 2, flags: 0,
                                               directory: buffer.directory.rawValue, dataOffset: 0)) == 0)
        try fixture.attach(fb: 11, dbuf: 1, width: 64, height: 48, format: .rgb565)
        #expect(try fixture.status(.setConfig(fbCookie: 11, x: 0, y: 0, width: 64, height: 48, bpp: 16)) == 0)
        #expect(fixture.sink.pictures.last?.pixels.allSatisfy { $0 == 0x0000FF } == true)
    }

    @Test func unknownOperationIsEOPNOTSUPP() throws {
        let fixture = try DisplFixture()
        let id = try fixture.left.send(DisplRequest(id: 0, operation: 0x05, body: .unknown))
        try fixture.scenario.run()
        #expect(try fixture.left.responses() == [DisplResponse(id: id, operation: 0x05, status: -95)])
    }
}

/// A frontend that keeps sending bad requests cannot flood DomD's log.
@Suite struct RefusalLogTests {
    @Test func refusalsAreLoggedAFewTimesOnly() throws {
        let fixture = try DisplFixture()
        for _ in 0..<5 {
            for _ in 0..<20 { _ = try fixture.left.send(DisplRequest(.pageFlip(fbCookie: 99))) }
            try fixture.scenario.run()
            #expect(try fixture.left.responses().allSatisfy { $0.status == -2 })
        }
        let refusals = fixture.scenario.log.filter { $0.contains("no framebuffer has cookie 99") }
        #expect(refusals.count == 32)
        #expect(fixture.scenario.log.contains { $0.contains("not logged until the frontend connects again") })
    }
}
