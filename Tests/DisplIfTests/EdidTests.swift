// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import DisplIfSimulation
import Testing
import XenCore
import XenSimulator

/// XENDISPL_OP_GET_EDID (protocol version 2).
@Suite struct EdidTests {
    @Test func writesTheConnectorsEdidIntoTheBuffer() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: DisplIfWire.edidMaxSize)
        let response = try fixture.request(.getEdid(bufferBytes: UInt32(DisplIfWire.edidMaxSize), directory: buffer.directory.rawValue),
                                           on: fixture.right)
        #expect(response.status == 0)
        #expect(response.edidBytes == 128)
        #expect(buffer.read(at: 0, count: 128) == EDID.block(width: 32, height: 24))
        #expect(fixture.scenario.simulator.liveMappingCount == 4, "the EDID buffer is unmapped again")
    }

    @Test func bufferBelowTheMaximumIsEINVAL() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 4096)
        #expect(try fixture.status(.getEdid(bufferBytes: 4096, directory: buffer.directory.rawValue)) == -22)
    }

    @Test func hugeBufferIsE2BIG() throws {
        let fixture = try DisplFixture()
        let buffer = fixture.frontend.allocateBuffer(byteCount: 4096)
        #expect(try fixture.status(.getEdid(bufferBytes: 0xFFFF_FFFF, directory: buffer.directory.rawValue)) == -7)
    }

    @Test func badDirectoryIsEFAULT() throws {
        let fixture = try DisplFixture()
        #expect(try fixture.status(.getEdid(bufferBytes: UInt32(DisplIfWire.edidMaxSize), directory: 0xBEEF)) == -14)
    }

    @Test func readOnlyGrantIsEFAULT() throws {
        let fixture = try DisplFixture()
        let directory = SimulatedPageDirectory(bus: fixture.frontend.bus, byteCount: DisplIfWire.edidMaxSize, readOnly: true)
        #expect(try fixture.status(.getEdid(bufferBytes: UInt32(DisplIfWire.edidMaxSize), directory: directory.directoryRef.rawValue)) == -14)
    }

    @Test func versionOneHasNoEdid() throws {
        let fixture = try DisplFixture(version: "1")
        let buffer = fixture.frontend.allocateBuffer(byteCount: DisplIfWire.edidMaxSize)
        #expect(try fixture.status(.getEdid(bufferBytes: UInt32(DisplIfWire.edidMaxSize), directory: buffer.directory.rawValue)) == -95)
    }
}
