// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore

/// XENDISPL_OP_FB_ATTACH and XENDISPL_OP_FB_DETACH: one test per outcome.
@Suite struct FramebufferTests {
    static func attach(dbuf: UInt64 = 1, fb: UInt64 = 10, width: UInt32 = 16, height: UInt32 = 16,
                       format: UInt32 = PixelFormat.xrgb8888.rawValue) -> DisplRequest.Body {
        .fbAttach(dbufCookie: dbuf, fbCookie: fb, width: width, height: height, pixelFormat: format)
    }

    @Test func attachRecordsTheFramebuffer() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        #expect(try fixture.status(Self.attach(format: PixelFormat.argb8888.rawValue)) == 0)
        #expect(fixture.device?.framebuffers[10] == Framebuffer(cookie: 10, dbufCookie: 1, width: 16, height: 16, format: .argb8888))
    }

    @Test func attachSmallerFormatsToAWiderBuffer() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        #expect(try fixture.status(Self.attach(width: 32, format: PixelFormat.rgb565.rawValue)) == 0)
        #expect(try fixture.status(Self.attach(fb: 11, width: 33, format: PixelFormat.rgb565.rawValue)) == -22)
    }

    @Test func attachToUnknownBufferIsENOENT() throws {
        let fixture = try DisplFixture()
        #expect(try fixture.status(Self.attach(dbuf: 99)) == -2)
    }

    @Test func attachWithCookieZeroIsEINVAL() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        #expect(try fixture.status(Self.attach(fb: 0)) == -22)
        #expect(try fixture.status(Self.attach(dbuf: 0)) == -22)
    }

    @Test func attachDuplicateCookieIsEEXIST() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        #expect(try fixture.status(Self.attach()) == 0)
        #expect(try fixture.status(Self.attach()) == -17)
    }

    @Test func attachUnsupportedFormatIsEOPNOTSUPP() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        #expect(try fixture.status(Self.attach(format: 0x3231_5659)) == -95)  // YV12
    }

    @Test(arguments: [(17, 16), (16, 17), (0, 16), (16, 0)] as [(UInt32, UInt32)])
    func attachOutsideTheBufferIsEINVAL(width: UInt32, height: UInt32) throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        #expect(try fixture.status(Self.attach(width: width, height: height)) == -22)
    }

    @Test func attachOnAnotherConnectorsRingIsEINVAL() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        #expect(try fixture.status(Self.attach(), on: fixture.right) == -22)
        #expect(try fixture.status(.fbDetach(fbCookie: 10), on: fixture.right) == -22)
    }

    @Test func tooManyFramebuffersIsENOMEM() throws {
        let fixture = try DisplFixture()  // maxFramebuffers 8
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        for fb in 1...8 as ClosedRange<UInt64> { #expect(try fixture.status(Self.attach(fb: fb)) == 0) }
        #expect(try fixture.status(Self.attach(fb: 9)) == -12)
    }

    @Test func detachForgetsTheFramebuffer() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 1, width: 16, height: 16)
        try fixture.attach(fb: 10, dbuf: 1, width: 16, height: 16)
        #expect(try fixture.status(.fbDetach(fbCookie: 10)) == 0)
        #expect(fixture.device?.framebuffers.isEmpty == true)
        #expect(try fixture.status(Self.attach()) == 0, "the cookie is free again")
    }

    @Test func detachUnknownCookieIsENOENT() throws {
        let fixture = try DisplFixture()
        #expect(try fixture.status(.fbDetach(fbCookie: 10)) == -2)
        #expect(try fixture.status(.fbDetach(fbCookie: 0)) == -22)
    }
}
