// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore
import XenSimulator

/// DBUF_CREATE with XENDISPL_DBUF_FLG_REQ_ALLOC (be-alloc=1): the backend
/// allocates the buffer, grants it to the frontend and fills in its directory.
@Suite struct BackendAllocationTests {
    static func create(cookie: UInt64 = 1, width: UInt32 = 64, height: UInt32 = 48, bytes: Int? = nil,
                       directory: GrantRef) -> DisplRequest.Body {
        .dbufCreate(dbufCookie: cookie, width: width, height: height, bpp: 32,
                    bufferBytes: UInt32(bytes ?? Int(width * height * 4)), flags: DisplIfWire.flagRequestAlloc,
                    directory: directory.rawValue, dataOffset: 0)
    }

    @Test func frontendDrawsIntoTheBackendsPagesAndTheSinkShowsThem() throws {
        let fixture = try DisplFixture(backendAlloc: true)
        let buffer = fixture.frontend.allocateBackendBuffer(byteCount: 64 * 48 * 4)
        #expect(try fixture.status(Self.create(directory: buffer.directory)) == 0)
        let refs = buffer.refs()
        #expect(refs.count == 3 && Set(refs.map(\.rawValue)).count == 3 && !refs.contains(GrantRef(0)))
        let mapping = try fixture.frontend.mapBackendBuffer(buffer)
        #expect(mapping.address.load(fromByteOffset: 5000, as: UInt32.self) == 0, "the backend's pages start zeroed")
        let pixels = mapping.address.assumingMemoryBound(to: UInt32.self)
        for index in 0..<(64 * 48) { pixels[index] = UInt32(index / 64 * 1000 + index % 64) }
        try fixture.attach(fb: 11, dbuf: 1, width: 64, height: 48)
        #expect(try fixture.status(.setConfig(fbCookie: 11, x: 0, y: 0, width: 64, height: 48, bpp: 32)) == 0)
        let picture = try #require(fixture.sink.pictures.last)
        var expected: [UInt32] = []
        for index in 0..<(64 * 48) { expected.append(UInt32(index / 64 * 1000 + index % 64)) }
        #expect(picture.pixels == expected)
        #expect(fixture.device?.buffers[1]?.isBackendAllocated == true)
        #expect(fixture.device?.allocations.bytes[fixture.domain] == 64 * 48 * 4)

        #expect(try fixture.status(.dbufDestroy(dbufCookie: 1)) == 0)
        #expect(fixture.scenario.simulator.liveSharedCount == 0)
        #expect(fixture.device?.allocations.bytes[fixture.domain] == nil)
        try fixture.frontend.unmapBackendBuffer(mapping)
    }

    @Test func guestCapIsENOSPCFreeAgainAfterDestroy() throws {
        var options = DisplIfOptions()
        options.backendAllocationLimit = 3 * 4096
        let fixture = try DisplFixture(options: options, backendAlloc: true)
        let first = fixture.frontend.allocateBackendBuffer(byteCount: 2 * 4096)
        #expect(try fixture.status(Self.create(cookie: 1, width: 32, height: 64, directory: first.directory)) == 0)
        let second = fixture.frontend.allocateBackendBuffer(byteCount: 2 * 4096)
        #expect(try fixture.status(Self.create(cookie: 2, width: 32, height: 64, directory: second.directory)) == -7)
        #expect(fixture.scenario.simulator.liveSharedCount == 1)
        #expect(try fixture.status(.dbufDestroy(dbufCookie: 1)) == 0)
        #expect(try fixture.status(Self.create(cookie: 2, width: 32, height: 64, directory: second.directory)) == 0)
    }

    @Test func directoryTooShortIsRefusedAndNothingStaysShared() throws {
        let fixture = try DisplFixture(backendAlloc: true)
        // 1,024 pages need two directory pages; the frontend gives one whose next link is 0.
        let short = fixture.frontend.allocateBackendBuffer(byteCount: 4096)
        let bytes = 1024 * 4096
        #expect(try fixture.status(Self.create(width: 1024, height: 1024, bytes: bytes, directory: short.directory)) == -14)
        #expect(fixture.scenario.simulator.liveSharedCount == 0)
        #expect(fixture.device?.allocations.bytes[fixture.domain] == nil)
    }

    @Test func readOnlyDirectoryIsEFAULT() throws {
        let fixture = try DisplFixture(backendAlloc: true)
        let readOnly = fixture.frontend.allocateBuffer(byteCount: 4096)  // its directory is granted read-only
        #expect(try fixture.status(Self.create(width: 32, height: 32, directory: readOnly.directory)) == -14)
        #expect(fixture.scenario.simulator.liveSharedCount == 0)
    }

    @Test func failedAllocationIsENOMEM() throws {
        let fixture = try DisplFixture(backendAlloc: true)
        let buffer = fixture.frontend.allocateBackendBuffer(byteCount: 4096)
        fixture.scenario.simulator.faults.failNext(.grantShare, errno: 12)
        #expect(try fixture.status(Self.create(width: 32, height: 32, directory: buffer.directory)) == -12)
        #expect(fixture.scenario.log.contains { $0.contains("Unable to allocate and grant the display buffer") })
    }

    @Test func disconnectUnsharesTheGuestsBuffers() throws {
        let fixture = try DisplFixture(backendAlloc: true)
        for cookie in UInt64(1)...3 {
            let buffer = fixture.frontend.allocateBackendBuffer(byteCount: 4096)
            #expect(try fixture.status(Self.create(cookie: cookie, width: 32, height: 32, directory: buffer.directory)) == 0)
        }
        let allocations = try #require(fixture.device?.allocations)
        #expect(fixture.scenario.simulator.liveSharedCount == 3)
        try fixture.frontend.disconnect()
        try fixture.scenario.run()
        #expect(fixture.scenario.simulator.liveSharedCount == 0)
        #expect(allocations.bytes.isEmpty)
    }
}
