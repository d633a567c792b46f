// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore
import XenSimulator

/// XENDISPL_OP_DBUF_CREATE and XENDISPL_OP_DBUF_DESTROY: one test per outcome.
@Suite struct BufferTests {
    static func create(_ cookie: UInt64 = 1, width: UInt32 = 16, height: UInt32 = 16, bpp: UInt32 = 32, size: UInt32? = nil,
                       flags: UInt32 = 0, directory: GrantRef, dataOffset: UInt32 = 0) -> DisplRequest.Body {
        .dbufCreate(dbufCookie: cookie, width: width, height: height, bpp: bpp, bufferBytes: size ?? width * height * bpp / 8,
                    flags: flags, directory: directory.rawValue, dataOffset: dataOffset)
    }

    @Test func createMapsTheBufferReadOnly() throws {
        let fixture = try DisplFixture()
        let before = fixture.scenario.simulator.liveMappingCount
        try fixture.createBuffer(cookie: 7, width: 64, height: 48)
        let buffer = try #require(fixture.device?.buffers[7])
        #expect(buffer.pitch == 256)
        #expect(buffer.byteCount == 64 * 48 * 4)
        #expect(fixture.device?.mappedBytes == 64 * 48 * 4)
        #expect(fixture.scenario.simulator.liveMappingCount == before + 1)
    }

    @Test func createFollowsAChainedPageDirectory() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 1100 * 4096)  // 1100 pages: two directory pages
        let status = try fixture.status(Self.create(width: 1024, height: 1100, size: 1100 * 4096, directory: buffer.directory))
        #expect(status == 0)
        #expect(fixture.device?.buffers[1]?.byteCount == 1100 * 4096)
    }

    @Test func createHonoursTheDataOffset() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 4096 + 64 * 4)
        #expect(try fixture.status(Self.create(width: 64, height: 1, size: 4096 + 256, directory: buffer.directory, dataOffset: 4096)) == 0)
        #expect(try fixture.status(Self.create(2, width: 64, height: 2, size: 4096 + 256, directory: buffer.directory, dataOffset: 4096))
                == -22)
    }

    @Test func cookieZeroIsInvalid() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 1024)
        #expect(try fixture.status(Self.create(0, directory: buffer.directory)) == -22)
    }

    @Test func duplicateCookieIsEEXIST() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 5, width: 16, height: 16)
        let again = fixture.frontend.allocateBuffer(byteCount: 1024)
        #expect(try fixture.status(Self.create(5, directory: again.directory)) == -17)
        #expect(fixture.device?.buffers.count == 1)
    }

    @Test func cookieIsReusableAfterDestroy() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 5, width: 16, height: 16)
        #expect(try fixture.status(.dbufDestroy(dbufCookie: 5)) == 0)
        try fixture.createBuffer(cookie: 5, width: 16, height: 16)
    }

    @Test func backendAllocationWithoutBeAllocIsEOPNOTSUPP() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 1024)
        #expect(try fixture.status(Self.create(flags: DisplIfWire.flagRequestAlloc, directory: buffer.directory)) == -95)
        #expect(fixture.scenario.log.contains { $0.contains("be-alloc is not 1") })
    }

    @Test func unknownFlagsAreInvalid() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 1024)
        #expect(try fixture.status(Self.create(flags: 0x10, directory: buffer.directory)) == -22)
    }

    @Test(arguments: [(0, 16, 32), (16, 0, 32), (16, 16, 0), (16, 16, 12), (16, 16, 64), (20000, 1, 32)] as [(UInt32, UInt32, UInt32)])
    func invalidGeometryIsEINVAL(width: UInt32, height: UInt32, bpp: UInt32) throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 4096)
        #expect(try fixture.status(Self.create(width: width, height: height, bpp: bpp, size: 4096, directory: buffer.directory)) == -22)
    }

    @Test func pixelsBeyondTheBufferAreEINVAL() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 4096)
        #expect(try fixture.status(Self.create(width: 33, height: 32, size: 4096, directory: buffer.directory)) == -22)
        #expect(try fixture.status(Self.create(width: 0xFFFF, height: 0xFFFF, size: 4096, directory: buffer.directory)) == -22)
    }

    @Test func bufferOverTheLimitIsE2BIG() throws {
        var options = DisplIfOptions()
        options.bufferLimit = 64 * 1024
        let fixture = try DisplFixture(options: options)
        let buffer = fixture.frontend.allocateBuffer(byteCount: 4096)
        #expect(try fixture.status(Self.create(width: 128, height: 129, size: 128 * 129 * 4, directory: buffer.directory)) == -7)
    }

    @Test func totalMappedBytesAreBounded() throws {
        var options = DisplIfOptions()
        options.totalBufferLimit = 3 * 16 * 16 * 4
        let fixture = try DisplFixture(options: options)
        for cookie in 1...3 as ClosedRange<UInt64> { try fixture.createBuffer(cookie: cookie, width: 16, height: 16) }
        let buffer = fixture.frontend.allocateBuffer(byteCount: 1024)
        #expect(try fixture.status(Self.create(4, directory: buffer.directory)) == -7)
    }

    @Test func tooManyBuffersIsENOMEM() throws {
        let fixture = try DisplFixture()  // maxBuffers 8
        for cookie in 1...8 as ClosedRange<UInt64> { try fixture.createBuffer(cookie: cookie, width: 4, height: 4) }
        let buffer = fixture.frontend.allocateBuffer(byteCount: 64)
        #expect(try fixture.status(Self.create(9, width: 4, height: 4, directory: buffer.directory)) == -12)
    }

    @Test func badDirectoryReferenceIsEFAULT() throws {
        let fixture = try DisplFixture()
        #expect(try fixture.status(Self.create(directory: GrantRef(0xDEAD))) == -14)
        #expect(fixture.device?.buffers.isEmpty == true)
    }

    @Test func directoryChainTooShortIsEFAULT() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 1100 * 4096)
        let directory = SimulatedPageDirectory(bus: fixture.frontend.bus, byteCount: 4096)  // one page, next = 0
        _ = buffer
        #expect(try fixture.status(Self.create(width: 1024, height: 1100, size: 1100 * 4096, directory: directory.directoryRef)) == -14)
        #expect(fixture.scenario.simulator.liveMappingCount == 4)
    }

    @Test func bufferPageNotGrantedIsEFAULT() throws {
        let fixture = try DisplFixture()
        let directory = SimulatedPageDirectory(bus: fixture.frontend.bus, byteCount: 1024)
        directory.directoryPages[0].storeBytes(of: UInt32(0xBAD).littleEndian, toByteOffset: 4, as: UInt32.self)
        #expect(try fixture.status(Self.create(directory: directory.directoryRef)) == -14)
    }

    @Test func createOnAnotherConnectorsRingIsEINVAL() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 1024)
        #expect(try fixture.status(Self.create(directory: buffer.directory), on: fixture.right) == -22)
        #expect(try fixture.status(.dbufDestroy(dbufCookie: 1), on: fixture.right) == -22)
    }

    @Test func destroyUnmapsTheBuffer() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 3, width: 16, height: 16)
        let mapped = fixture.scenario.simulator.liveMappingCount
        #expect(try fixture.status(.dbufDestroy(dbufCookie: 3)) == 0)
        #expect(fixture.scenario.simulator.liveMappingCount == mapped - 1)
        #expect(fixture.device?.mappedBytes == 0)
    }

    @Test func destroyUnknownCookieIsENOENT() throws {
        let fixture = try DisplFixture()
        #expect(try fixture.status(.dbufDestroy(dbufCookie: 42)) == -2)
        #expect(try fixture.status(.dbufDestroy(dbufCookie: 0)) == -22)
    }

    @Test func destroyDropsTheFramebuffersOnIt() throws {
        let fixture = try DisplFixture()
        try fixture.createBuffer(cookie: 3, width: 16, height: 16)
        try fixture.attach(fb: 30, dbuf: 3, width: 16, height: 16)
        #expect(try fixture.status(.dbufDestroy(dbufCookie: 3)) == 0)
        #expect(fixture.device?.framebuffers.isEmpty == true)
        #expect(try fixture.status(.fbDetach(fbCookie: 30)) == -2)
    }
}
