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

/// GET_EDID answers with the bound monitor's EDID when the sink has one.
@Suite struct BoundConnectorEdidTests {
    /// A two-block EDID (base + one extension) with valid checksums.
    static func monitorEdid() -> [UInt8] {
        var base = EDID.block(width: 1920, height: 1080)!
        base[126] = 1
        base[127] = 0
        base[127] = UInt8((256 - Int(base.reduce(UInt8(0), &+))) & 0xFF)
        var extensionBlock = [UInt8](repeating: 0, count: 128)
        extensionBlock[0] = 0x02
        extensionBlock[1] = 0x03
        extensionBlock[127] = UInt8((256 - Int(extensionBlock.reduce(UInt8(0), &+))) & 0xFF)
        return base + extensionBlock
    }

    @Test func monitorEdidIsAnsweredAsIs() throws {
        let fixture = try DisplFixture()
        let edid = Self.monitorEdid()
        #expect(EDID.isWellFormed(edid))
        fixture.sink.edids["HDMI-A-1"] = edid
        let buffer = fixture.frontend.allocateBuffer(byteCount: DisplIfWire.edidMaxSize)
        let response = try fixture.request(.getEdid(bufferBytes: UInt32(DisplIfWire.edidMaxSize), directory: buffer.directory.rawValue),
                                           on: fixture.right)
        #expect(response.status == 0)
        #expect(response.edidBytes == 256)
        #expect(buffer.read(at: 0, count: 256) == edid)
    }

    @Test func malformedMonitorEdidFallsBackToTheResolution() throws {
        let fixture = try DisplFixture()
        var broken = Self.monitorEdid()
        broken[40] &+= 1  // checksum no longer matches
        #expect(!EDID.isWellFormed(broken))
        fixture.sink.edids["HDMI-A-1"] = broken
        let buffer = fixture.frontend.allocateBuffer(byteCount: DisplIfWire.edidMaxSize)
        let response = try fixture.request(.getEdid(bufferBytes: UInt32(DisplIfWire.edidMaxSize), directory: buffer.directory.rawValue),
                                           on: fixture.right)
        #expect(response.edidBytes == 128)
        #expect(buffer.read(at: 0, count: 128) == EDID.block(width: 32, height: 24))
    }

    @Test func wellFormedNeedsWholeBlocksTheHeaderAndTheExtensionCount() {
        let good = Self.monitorEdid()
        #expect(!EDID.isWellFormed(Array(good[0..<200])))
        #expect(!EDID.isWellFormed(Array(good[0..<128])), "the base block announces one extension")
        var header = good
        header[0] = 1
        #expect(!EDID.isWellFormed(header))
        #expect(EDID.isWellFormed(EDID.block(width: 640, height: 480)!))
    }
}
